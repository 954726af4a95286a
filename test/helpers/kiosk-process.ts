import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { PACKAGE_ROOT } from '../../domain/package-root';

/**
 * The kiosk program as a child process, the way the soak, the start bench and the memory bench
 * run it: `node <args>` with its screen URL file named by KIOSK_SCREEN_URL_FILE, which the kiosk
 * writes once it serves (controller/server/screen-url-file.ts) and removes at start if stale.
 */
export interface KioskProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited (killed or not). */
  readonly exited: Promise<void>;
  /** The last 4 KB the process wrote to stderr, when stderr is piped. */
  stderrTail(): string;
}

export interface SpawnKioskOptions {
  /** Node's arguments: the program (bundle or `--import tsx controller/main.ts`) and its flags. */
  readonly args: readonly string[];
  readonly screenUrlFile: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Default: stderr piped (kept as `stderrTail`), the rest ignored. */
  readonly stdio?: StdioOptions;
}

export function spawnKiosk(opts: SpawnKioskOptions): KioskProcess {
  const child = spawn(process.execPath, [...opts.args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...opts.env, KIOSK_SCREEN_URL_FILE: opts.screenUrlFile },
    stdio: opts.stdio ?? ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (tail = (tail + d).slice(-4_000)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return { child, exited, stderrTail: () => tail };
}

export interface ScreenUrlWait {
  readonly timeoutMs: number;
  /**
   * Also require /healthz to answer (200 or 503): a file left by a killed run names the old
   * port, and the new run removes it only once it starts.
   */
  readonly probeHealth?: boolean;
  readonly everyMs?: number;
}

/**
 * The kiosk's screen URL once it serves; undefined if the process exits first or the time runs
 * out (the caller says what that means: a failed start in a soak, an error in a bench).
 */
export async function waitForScreenUrl(file: string, kiosk: Pick<KioskProcess, 'exited'>, opts: ScreenUrlWait): Promise<string | undefined> {
  let exited = false;
  void kiosk.exited.then(() => (exited = true));
  const deadline = performance.now() + opts.timeoutMs;
  while (!exited && performance.now() < deadline) {
    const text = (await readFile(file, 'utf8').catch(() => '')).trim();
    if (text && (!opts.probeHealth || (await serves(text)))) return text;
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 20));
  }
  return undefined;
}

/** Does a kiosk answer at this screen URL's origin (200, or 503 while it cannot serve)? */
export async function serves(screenUrl: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/healthz', screenUrl), { signal: AbortSignal.timeout(1_000) });
    return res.ok || res.status === 503;
  } catch {
    return false;
  }
}
