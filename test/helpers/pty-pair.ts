/**
 * Test helper: a socat pty pair for the integration tests, two linked ttys in a temp dir: the
 * driver opens `host`, a simulator serves `device`. `stop()` is what happens when the cable is
 * pulled (socat exits, both links vanish); `start()` again plugs it back in on the same paths.
 *
 * socat missing is a failure naming the Debian package, never a skip (test/README.md).
 *
 * The real-device lane (node-serialport's TEST_PORT): when TEST_<DEVICE>_PORT is set, a test
 * runs its driver against that port, with a real module, scanner, printer or board on it,
 * instead of a simulator on a pty pair.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Throws, naming the Debian package, when socat cannot be run. */
export function requireSocat(): void {
  const r = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error("this test needs socat for a pty pair, and it is not installed: install the Debian package 'socat' (sudo apt-get install -y socat)");
  }
}

export class PtyPair {
  readonly dir = mkdtempSync(join(tmpdir(), 'kiosk-pty-'));
  /** The kiosk's end: the driver opens this. */
  readonly host = join(this.dir, 'host');
  /** The device's end: the simulator serves this. */
  readonly device = join(this.dir, 'device');
  private proc: ChildProcess | undefined;

  async start(): Promise<void> {
    requireSocat();
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.host}`, `pty,raw,echo=0,link=${this.device}`], { stdio: 'ignore' });
    this.proc = proc;
    const until = Date.now() + 5000;
    while (!(existsSync(this.host) && existsSync(this.device))) {
      if (proc.exitCode !== null) throw new Error(`socat exited with code ${proc.exitCode} before making the pty pair`);
      if (Date.now() > until) throw new Error('socat did not create the pty pair within 5 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Resolves when socat has exited (after one end closed, or after stop()). */
  exited(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
    return new Promise((r) => p.once('exit', () => r()));
  }

  /**
   * The baud the kiosk's end is set to now (what the driver opened it at), for a simulator whose
   * baud matters (sim-tty.ts `hostBaud`): a module at another rate then hears noise, as on a real
   * UART. Undefined when nobody holds the host end open.
   */
  hostBaud(): number | undefined {
    return existsSync(this.host) ? ttyBaud(this.host) : undefined;
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

/**
 * A tty's output baud, read with TCGETS2 so that rates termios has no constant for (28,800,
 * 76,800 … the R30x's 9600 × N) read true; `stty` shows those as 0. perl is in every Debian
 * (perl-base is essential); its absence is a failure naming the package.
 */
const TCGETS2_SCRIPT =
  'open(my $f, "<", $ARGV[0]) or die "$!\\n"; my $b = "\\0" x 44; ioctl($f, 0x802C542A, $b) or die "$!\\n"; my @v = unpack("L4 C20 L2", $b); print $v[-1];';

export function ttyBaud(path: string): number | undefined {
  const r = spawnSync('perl', ['-e', TCGETS2_SCRIPT, path], { encoding: 'utf8' });
  if (r.error !== undefined) throw new Error(`reading the baud of ${path} needs perl: install the Debian package 'perl-base' (${r.error.message})`);
  if (r.status !== 0) return undefined;
  const baud = Number(r.stdout.trim());
  return Number.isInteger(baud) && baud > 0 ? baud : undefined;
}

export type RealPortVariable = 'TEST_FINGERPRINT_PORT' | 'TEST_SCANNER_PORT' | 'TEST_PRINTER_PORT' | 'TEST_PANEL_PORT';

/**
 * The real device's port from the environment (and its baud from the matching _BAUD variable,
 * e.g. TEST_PRINTER_BAUD), or undefined to use a simulator on a pty pair.
 */
export function realPort(variable: RealPortVariable, defaultBaud: number): { readonly path: string; readonly baudRate: number } | undefined {
  const path = process.env[variable];
  if (path === undefined || path === '') return undefined;
  const baud = Number(process.env[variable.replace(/_PORT$/, '_BAUD')] ?? defaultBaud);
  if (!Number.isInteger(baud) || baud <= 0) throw new Error(`${variable.replace(/_PORT$/, '_BAUD')} must be a baud rate`);
  return { path, baudRate: baud };
}
