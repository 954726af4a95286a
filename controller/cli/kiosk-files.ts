import { access } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
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

/** A command's own options: each a text value (`--to DIR`) or a flag (`--json`). */
export type OptionKinds = Readonly<Record<string, 'string' | 'boolean'>>;
type Named<O extends OptionKinds, K extends 'string' | 'boolean'> = { [N in keyof O]: O[N] extends K ? N : never }[keyof O];

export type KioskArgs<O extends OptionKinds> =
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string }
  | {
      readonly kind: 'ok';
      readonly files: KioskFileArgs;
      readonly strings: Partial<Record<Named<O, 'string'>, string>>;
      readonly flags: Partial<Record<Named<O, 'boolean'>, true>>;
      readonly positionals: readonly string[];
    };

/**
 * A kiosk command's arguments, read by node:util's parseArgs: `--config` and `--data-dir` (every
 * command about the kiosk's files), `--help`/`-h`, and the command's `own` options, each also in
 * its `--name=value` form. What parseArgs lets through in its lenient mode is refused here, each
 * with a message saying which word: an option it does not know, a value missing (or an option
 * where the value should be: `--to --json`), a value given to a flag, a word too many.
 */
export function parseKioskArgs<O extends OptionKinds>(argv: readonly string[], own: O, o: { readonly positionals?: number } = {}): KioskArgs<O> {
  const kinds: Record<string, 'string' | 'boolean'> = { ...own, config: 'string', 'data-dir': 'string', help: 'boolean' };
  const options = Object.fromEntries(Object.entries(kinds).map(([name, type]) => [name, name === 'help' ? { type, short: 'h' } : { type }]));
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const files: KioskFileArgs = {};
  const strings: Record<string, string> = {};
  const flags: Record<string, true> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      if (positionals.length >= (o.positionals ?? 0)) return { kind: 'error', message: `unexpected argument "${t.value}"` };
      positionals.push(t.value);
      continue;
    }
    const kind = kinds[t.name];
    if (kind === undefined) return { kind: 'error', message: `unknown option "${t.rawName}"` };
    if (t.name === 'help') return { kind: 'help' };
    if (kind === 'boolean') {
      if (t.inlineValue) return { kind: 'error', message: `${t.rawName} takes no value` };
      flags[t.name] = true;
      continue;
    }
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-'))) return { kind: 'error', message: `${t.rawName} needs a value` };
    if (t.name === 'config') files.config = t.value;
    else if (t.name === 'data-dir') files.dataDir = t.value;
    else strings[t.name] = t.value;
  }
  // The records were filled from `own`'s names by kind, which is what their types say.
  return { kind: 'ok', files, strings: strings as Partial<Record<Named<O, 'string'>, string>>, flags: flags as Partial<Record<Named<O, 'boolean'>, true>>, positionals };
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
