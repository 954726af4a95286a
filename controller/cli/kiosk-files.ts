import { access } from 'node:fs/promises';
import path from 'node:path';
import { loadConfigFile } from '../config/load';
import type { KioskConfig } from '../config/schema';
import { openStore, type Store } from '../store/store';
import { PACKAGE_ROOT } from '../../domain/package-root';

/**
 * What the technician's commands about a kiosk's own data (`packets …`, `audit verify`) share:
 * which config and data directory they mean, as `npm start` decides it (--config / --data-dir
 * beat KIOSK_CONFIG / KIOSK_DATA_DIR, which beat config/default.json and its dataDir), and the
 * kiosk's database opened without ever creating one, moving one aside, or writing more than the
 * command itself writes. It is safe to run them while the kiosk runs (SQLite WAL, one writer
 * at a time).
 */

export const KIOSK_FILE_OPTIONS = `  --config FILE     the kiosk's config (env KIOSK_CONFIG; default config/default.json)
  --data-dir DIR    its data directory (env KIOSK_DATA_DIR; default: the config's dataDir)`;

export interface KioskFileArgs {
  config?: string;
  dataDir?: string;
}

/**
 * Take `--config` / `--data-dir` (and their `=` forms) at argv[i]. Returns how many words were
 * used (0: not one of ours), or an error message.
 */
export function takeKioskFileOption(argv: readonly string[], i: number, into: KioskFileArgs): number | string {
  const arg = argv[i] ?? '';
  for (const [flag, key] of [
    ['--config', 'config'],
    ['--data-dir', 'dataDir'],
  ] as const) {
    if (arg === flag) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return `${flag} needs a value`;
      into[key] = value;
      return 2;
    }
    if (arg.startsWith(`${flag}=`)) {
      into[key] = arg.slice(flag.length + 1);
      return 1;
    }
  }
  return 0;
}

export type KioskFiles = { readonly ok: true; readonly config: KioskConfig; readonly dataDir: string; readonly dbFile: string } | { readonly ok: false; readonly message: string };

const ROOT = PACKAGE_ROOT;

export function resolveKioskFiles(args: KioskFileArgs, env: NodeJS.ProcessEnv = process.env): KioskFiles {
  const configFile = args.config ?? (env.KIOSK_CONFIG || path.join(ROOT, 'config', 'default.json'));
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) return { ok: false, message: `the configuration is not valid (${configFile}):\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}` };
  const dataDir = path.resolve(args.dataDir ?? (env.KIOSK_DATA_DIR || loaded.config.dataDir));
  return { ok: true, config: { ...loaded.config, dataDir }, dataDir, dbFile: path.join(dataDir, 'kiosk.db') };
}

/** The kiosk's database, or a message saying why not. Never creates one. */
export async function openKioskStore(dbFile: string): Promise<{ readonly ok: true; readonly store: Store } | { readonly ok: false; readonly message: string }> {
  try {
    await access(dbFile);
  } catch {
    return { ok: false, message: `no kiosk database at ${dbFile}: is --data-dir (or KIOSK_DATA_DIR) the kiosk's data directory?` };
  }
  try {
    const store = await openStore(dbFile, { checkAtOpen: false, keepAsideIfCorrupt: false, refuseIfKeptAside: false });
    return { ok: true, store };
  } catch (err) {
    return { ok: false, message: `cannot open ${dbFile}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
