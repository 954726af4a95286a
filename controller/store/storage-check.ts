import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { open, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Can the data directory take the next enrollment? (issue #12: disk full or read-only → out of
 * service before any biometric is taken.) Two looks: a write probe (a small file written,
 * fsynced and removed: a filesystem remounted read-only after errors, or a full one, fails it)
 * and the free space (statfs), which must stay above `storage.minFreeMiB` so that a commit never
 * finds the disk full half way through. Free pages inside the database count as free: SQLite
 * reuses them before it grows the file (purged packets leave them).
 *
 * The kiosk runs it at start, before each session starts, after a failed commit, and every
 * `storage.checkIntervalMs` (StorageWatch below), and reports the result to the statechart as
 * the `storage` pseudo-device.
 */

export const STORAGE_PROBLEMS = [
  /** EROFS: the filesystem is mounted (or was remounted after errors) read-only. */
  'read-only',
  /** EACCES / EPERM: the kiosk's user may not write there. */
  'not-writable',
  /** ENOSPC / EDQUOT on the probe: no room at all. */
  'full',
  /** Room for the probe, but less than storage.minFreeMiB. */
  'low-space',
  /** Another error (EIO: a failing card). */
  'io',
] as const;
export type StorageProblem = (typeof STORAGE_PROBLEMS)[number];

export type StorageHealth =
  | { readonly ok: true; readonly freeBytes: number; readonly checkedAt: string }
  | { readonly ok: false; readonly problem: StorageProblem; readonly message: string; readonly freeBytes?: number; readonly checkedAt: string };

export interface FsStats {
  readonly bavail: number | bigint;
  readonly bsize: number | bigint;
}

export interface StorageCheckOptions {
  readonly minFreeBytes: number;
  /** Bytes inside the database SQLite will reuse before growing it (Store.reclaimableBytes). */
  readonly reclaimable?: () => Promise<number>;
  /** statfs, injectable so that tests can fake a nearly full disk. */
  readonly statfs?: (dir: string) => Promise<FsStats>;
  readonly now?: () => Date;
}

export const PROBE_FILE = '.storage-probe';
const PROBE_BYTES = 4096;
const MiB = 2 ** 20;

export async function checkStorage(dir: string, opts: StorageCheckOptions): Promise<StorageHealth> {
  const checkedAt = (opts.now ?? (() => new Date()))().toISOString();
  const probe = await writeProbe(dir);
  if (probe !== null) {
    const problem = problemOf(probe);
    return { ok: false, problem, message: describe(problem, dir, probe), checkedAt };
  }
  let freeBytes: number;
  try {
    const s = await (opts.statfs ?? statfs)(dir);
    freeBytes = Number(s.bavail) * Number(s.bsize) + (opts.reclaimable ? await opts.reclaimable().catch(() => 0) : 0);
  } catch (err) {
    return { ok: false, problem: 'io', message: `cannot read the free space of ${dir}: ${errText(err)}`, checkedAt };
  }
  if (freeBytes < opts.minFreeBytes) {
    return {
      ok: false,
      problem: 'low-space',
      freeBytes,
      message:
        `only ${mib(freeBytes)} MiB free for ${dir}, below storage.minFreeMiB (${mib(opts.minFreeBytes)} MiB): ` +
        'export the pending packets (npm run kiosk -- packets export --to <usb stick>) and import their acks, or free space on the card',
      checkedAt,
    };
  }
  return { ok: true, freeBytes, checkedAt };
}

/** Write, fsync and remove a small file; null when all of it worked, else the error. */
async function writeProbe(dir: string): Promise<unknown> {
  const file = path.join(dir, PROBE_FILE);
  let wrote = false;
  try {
    const h = await open(file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC, 0o600);
    wrote = true;
    try {
      await h.write(randomBytes(PROBE_BYTES));
      await h.sync();
    } finally {
      await h.close();
    }
    await unlink(file);
    return null;
  } catch (err) {
    if (wrote) await unlink(file).catch(() => undefined);
    return err;
  }
}

function problemOf(err: unknown): StorageProblem {
  switch (errnoOf(err)) {
    case 'EROFS':
      return 'read-only';
    case 'EACCES':
    case 'EPERM':
      return 'not-writable';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'full';
    default:
      return 'io';
  }
}

function describe(problem: StorageProblem, dir: string, err: unknown): string {
  const why = errText(err);
  switch (problem) {
    case 'read-only':
      return `the data directory ${dir} is on a read-only filesystem (${why}): it was mounted read-only or remounted after errors; check the card (dmesg) and remount it read-write`;
    case 'not-writable':
      return `the kiosk's user cannot write to ${dir} (${why}): check the directory's owner and mode`;
    case 'full':
      return `the disk holding ${dir} is full (${why}): export the pending packets (npm run kiosk -- packets export --to <usb stick>) and import their acks, or free space on the card`;
    default:
      return `writing to ${dir} failed (${why}): the card may be failing; check dmesg`;
  }
}

const mib = (bytes: number): string => (bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0);

function errnoOf(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function errText(err: unknown): string {
  return errnoOf(err) ?? (err instanceof Error ? err.message : String(err));
}

/**
 * Keeps the latest StorageHealth and tells `onChange` when it turns (ok ⇄ a problem, or one
 * problem to another). `check()` runs a check now; calls that overlap share one run.
 */
export interface StorageWatch {
  check(): Promise<StorageHealth>;
  current(): StorageHealth;
  stop(): void;
}

export function createStorageWatch(opts: {
  readonly initial: StorageHealth;
  readonly check: () => Promise<StorageHealth>;
  readonly intervalMs: number;
  readonly onChange: (now: StorageHealth, before: StorageHealth) => void;
}): StorageWatch {
  let current = opts.initial;
  let running: Promise<StorageHealth> | undefined;
  const key = (h: StorageHealth) => (h.ok ? 'ok' : h.problem);
  const check = (): Promise<StorageHealth> => {
    running ??= opts
      .check()
      .then((next) => {
        const before = current;
        current = next;
        if (key(next) !== key(before)) opts.onChange(next, before);
        return next;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void check().catch(() => undefined), opts.intervalMs);
  timer.unref();
  return { check, current: () => current, stop: () => clearInterval(timer) };
}
