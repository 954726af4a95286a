/**
 * A socat pty pair for integration tests: two linked ttys in a temp dir. `unplug` is what
 * happens when one end closes (socat exits, both links vanish); `replug` starts socat again
 * on the same paths.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class PtyPair {
  readonly dir = mkdtempSync(join(tmpdir(), 'r30x-pty-'));
  readonly host = join(this.dir, 'host');
  readonly module = join(this.dir, 'module');
  private proc: ChildProcess | undefined;

  async start(): Promise<void> {
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.host}`, `pty,raw,echo=0,link=${this.module}`], { stdio: 'ignore' });
    this.proc = proc;
    const until = Date.now() + 5000;
    while (!(existsSync(this.host) && existsSync(this.module))) {
      if (Date.now() > until) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Resolves when socat has exited (after one end closed, or after stop()). */
  exited(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
    return new Promise((r) => p.once('exit', () => r()));
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null && p.signalCode === null && p.pid !== undefined) {
      p.kill('SIGTERM');
      await this.exited();
    }
    this.proc = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
