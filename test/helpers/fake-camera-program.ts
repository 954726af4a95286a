/**
 * Test helper: puts the fake camera program (fake-camera.ts) on disk under the real program's
 * name (`rpicam-vid` or `raspivid`), as a small executable script in a temp dir, so a camera
 * driver is pointed at it exactly as a kiosk's config points it at the real one: by path.
 * Each call makes one program with one behaviour; the script `exec`s Node, so the pid the driver
 * spawns is the fake camera itself.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeCameraBehaviour } from './fake-camera';

const FAKE = fileURLToPath(new URL('./fake-camera.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's ESM loader by absolute path, so the program runs whatever the driver's working directory is. */
const TSX = join(REPO, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');

const sh = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

export interface FakeCameraProgram {
  /** The program's path: what goes into `devices.camera.command`. */
  readonly command: string;
  readonly dir: string;
  /** The pid the program wrote when it started, once it has. */
  pid(): number | undefined;
  /** The arguments it was started with, once it has. */
  argv(): string[] | undefined;
  dispose(): void;
}

export function fakeCameraProgram(as: 'rpicam-vid' | 'raspivid', behaviour: FakeCameraBehaviour = {}): FakeCameraProgram {
  const dir = mkdtempSync(join(tmpdir(), 'fake-camera-'));
  const pidFile = join(dir, 'pid');
  const argvFile = join(dir, 'argv.json');
  const command = join(dir, as);
  const b: FakeCameraBehaviour = { pidFile, argvFile, ...behaviour };
  // The pid is written by the shell before Node starts (exec keeps it): on a loaded machine Node
  // can take seconds to start, and a driver that gives up first must still be seen to stop it.
  writeFileSync(command, `#!/bin/sh\necho $$ > ${sh(pidFile)}\nexec ${sh(process.execPath)} --import ${sh(TSX)} ${sh(FAKE)} --as ${as} --behaviour ${sh(JSON.stringify(b))} -- "$@"\n`);
  chmodSync(command, 0o755);
  return {
    command,
    dir,
    // The file can be seen before its digits are in it: an empty read is no pid yet, not pid 0
    // (signal 0 to pid 0 reaches this whole process group, so "exists" would always be true).
    pid: () => {
      const n = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : Number.NaN;
      return Number.isInteger(n) && n > 0 ? n : undefined;
    },
    argv: () => {
      if (!existsSync(argvFile)) return undefined;
      const parsed: unknown = JSON.parse(readFileSync(argvFile, 'utf8'));
      return Array.isArray(parsed) ? parsed.map(String) : undefined;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** True while a process with this pid exists (a zombie counts: it has not been reaped). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return !(e instanceof Error && 'code' in e && e.code === 'ESRCH');
  }
}

/** The process's state letter from /proc (Z = zombie), or undefined when it is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}
