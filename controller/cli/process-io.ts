import type { CliIO } from './io';

/** CliIO on the real process: stdout/stderr, and stdin read to the end unless it is a TTY. */
export const processIO: CliIO = {
  async readStdin() {
    if (process.stdin.isTTY) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString('utf8');
  },
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  readSecret: (prompt) => readHidden(prompt),
};

/** One line from the terminal with echo off (a star per character); Ctrl+C gives up. */
function readHidden(prompt: string): Promise<string | undefined> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.resolve(undefined);
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let line = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (value: string | undefined): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') return done(line);
        if (c === '\u0003' || c === '\u0004') return done(undefined);
        if (c === '\u007f' || c === '\b') {
          if (line.length > 0) {
            line = line.slice(0, -1);
            process.stderr.write('\b \b');
          }
          continue;
        }
        if (c >= ' ') {
          line += c;
          process.stderr.write('*');
        }
      }
    };
    stdin.on('data', onData);
  });
}
