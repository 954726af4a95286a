/**
 * What a CLI command may touch. Commands take this instead of process.* so tests can run them
 * in-process and read what they printed.
 */
export interface CliIO {
  /** All of standard input as UTF-8 (resolves with '' when stdin is a TTY or empty). */
  readStdin(): Promise<string>;
  out(text: string): void;
  err(text: string): void;
  /**
   * A secret typed at the terminal (a PIN), not shown as it is typed; undefined when there is no
   * terminal to type at (stdin is a pipe or a file: read it with readStdin).
   */
  readSecret?(prompt: string): Promise<string | undefined>;
}

/** A command: parses its own argv (after the command words) and returns the exit code. */
export type CliCommand = (argv: readonly string[], io: CliIO) => Promise<number>;
