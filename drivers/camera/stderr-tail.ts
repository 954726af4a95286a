/**
 * Role (camera driver core): the last few lines a camera program wrote on stderr, bounded. The
 * camera programs write there all the time (libcamera's INFO lines, frame-rate reports) and
 * write their reason there when they give up ("ERROR: *** no cameras available ***"), so the
 * lines are information for the fault's reason and the technician, never an error by
 * themselves. Text arrives in arbitrary pieces; a line that never ends is cut at `maxLine`.
 */
export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly keep = 8,
    private readonly maxLine = 300,
  ) {}

  /** Adds text; returns the complete lines it finished (for the log). */
  push(text: string): string[] {
    const done: string[] = [];
    let rest = this.partial + text;
    for (let nl = rest.search(/\r?\n/); nl >= 0; nl = rest.search(/\r?\n/)) {
      done.push(rest.slice(0, nl));
      rest = rest.slice(rest[nl] === '\r' ? nl + 2 : nl + 1);
    }
    while (rest.length > this.maxLine) {
      done.push(rest.slice(0, this.maxLine));
      rest = rest.slice(this.maxLine);
    }
    this.partial = rest;
    for (const line of done) this.remember(line);
    return done.filter((l) => l.trim() !== '');
  }

  /** The last lines, the unfinished one included, newest last. */
  recent(): string[] {
    return this.partial.trim() === '' ? [...this.lines] : [...this.lines, this.clip(this.partial)].slice(-this.keep);
  }

  /**
   * The line that best says why the program stopped: its last error line if it wrote one
   * (rpicam-apps: "ERROR: *** … ***"; raspivid: "mmal: …"), else its last line.
   */
  reason(): string | undefined {
    const recent = this.recent();
    return [...recent].reverse().find((l) => /error|fail|mmal|cannot|unable|no cameras/i.test(l)) ?? recent.at(-1);
  }

  clear(): void {
    this.lines.length = 0;
    this.partial = '';
  }

  private remember(line: string): void {
    if (line.trim() === '') return;
    this.lines.push(this.clip(line));
    if (this.lines.length > this.keep) this.lines.shift();
  }

  private clip(line: string): string {
    const t = line.trim();
    return t.length > this.maxLine ? `${t.slice(0, this.maxLine)}…` : t;
  }
}
