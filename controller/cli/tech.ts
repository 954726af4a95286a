import { chmod, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { validateConfig } from '../config/load';
import { hashPin, pinProblem } from '../tech/pin';
import type { CliCommand, CliIO } from './io';
import { PACKAGE_ROOT } from '../../domain/package-root';

/**
 * `tech set-pin`: the technician's PIN for the service screen (issue #13). Only the PIN's
 * salted scrypt hash is kept: written into the config file as `tech.pinHash`, or printed for
 * the installer to put there. The kiosk reads it at start.
 */

const HELP = `usage: tech set-pin [--config FILE | --print]

Sets the PIN that unlocks the kiosk's service screen: 6 to 12 digits, not one digit repeated,
not digits in a row. The PIN is typed twice at the terminal (it is not shown), or read from
standard input (one line), or from the KIOSK_TECH_PIN environment variable.

Only a salted scrypt hash of the PIN is kept, never the PIN:
  (default)       written into the config file as tech.pinHash
  --config FILE   that config file (default: KIOSK_CONFIG, else config/default.json)
  --print         print the hash instead, to put into the config by hand
Restart the kiosk afterwards (sudo systemctl restart cccd-kiosk).

Exit codes: 0 done, 1 the config file cannot be read or written, 2 usage or a PIN that is refused.

Example:
  sudo -u cccd-kiosk npm run kiosk -- tech set-pin --config /etc/cccd-kiosk/config.json
`;

// The package root, found the same way from the source and from the bundle (domain/package-root.ts).
const ROOT = PACKAGE_ROOT;

/** The PIN from the terminal (twice), stdin or the environment; a message when there is none. */
async function readPin(io: CliIO): Promise<{ readonly ok: true; readonly pin: string } | { readonly ok: false; readonly message: string }> {
  const fromEnv = process.env.KIOSK_TECH_PIN;
  if (fromEnv) return { ok: true, pin: fromEnv.trim() };
  const typed = await io.readSecret?.('New service PIN (6-12 digits): ');
  if (typed !== undefined) {
    const again = await io.readSecret?.('The same PIN again: ');
    if (again !== typed) return { ok: false, message: 'the two PINs are not the same; nothing was changed' };
    return { ok: true, pin: typed.trim() };
  }
  const line = (await io.readStdin()).split(/\r?\n/)[0]?.trim() ?? '';
  if (line === '') return { ok: false, message: 'no PIN given: type it at the terminal, pipe it on standard input, or set KIOSK_TECH_PIN' };
  return { ok: true, pin: line };
}

/** Replace `file` with `text`, keeping its mode, all or nothing (a temporary file renamed over it). */
async function replaceFile(file: string, text: string): Promise<void> {
  const mode = (await stat(file)).mode & 0o777;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await rm(tmp, { force: true });
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, mode);
  await rename(tmp, file);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const techSetPinCommand: CliCommand = async (rest, io) => {
  let print = false;
  let config: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    if (a === '--help' || a === '-h') {
      io.out(HELP);
      return 0;
    } else if (a === '--print') print = true;
    else if (a === '--config') {
      config = rest[++i];
      if (config === undefined || config.startsWith('--')) {
        io.err(`tech set-pin: --config needs a file\n\n${HELP}`);
        return 2;
      }
    } else if (a.startsWith('--config=')) config = a.slice('--config='.length);
    else {
      io.err(`tech set-pin: unknown option "${a}"\n\n${HELP}`);
      return 2;
    }
  }
  if (print && config !== undefined) {
    io.err(`tech set-pin: --print and --config do not go together\n\n${HELP}`);
    return 2;
  }
  const got = await readPin(io);
  if (!got.ok) {
    io.err(`tech set-pin: ${got.message}\n`);
    return 2;
  }
  const problem = pinProblem(got.pin);
  if (problem) {
    io.err(`tech set-pin: ${problem}; nothing was changed\n`);
    return 2;
  }
  const hash = await hashPin(got.pin);
  if (print) {
    io.out(`${hash}\n`);
    io.err('Put it in the kiosk\'s config as "tech": { "pinHash": "<the line above>" }, then restart the kiosk.\n');
    return 0;
  }
  const file = path.resolve(config ?? (process.env.KIOSK_CONFIG || path.join(ROOT, 'config', 'default.json')));
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    io.err(`tech set-pin: cannot read the config ${file}: ${err instanceof Error ? err.message : String(err)}; nothing was changed (use --print to get the hash alone)\n`);
    return 1;
  }
  if (!isObject(json)) {
    io.err(`tech set-pin: ${file} is not a config (not a JSON object); nothing was changed\n`);
    return 1;
  }
  const tech = isObject(json.tech) ? json.tech : {};
  const updated = { ...json, tech: { ...tech, pinHash: hash } };
  const valid = validateConfig(updated);
  if (!valid.ok) {
    io.err(`tech set-pin: ${file} is not a valid config, so it was not changed:\n${valid.errors.map((e) => `  - ${e}`).join('\n')}\n`);
    return 1;
  }
  try {
    await replaceFile(file, `${JSON.stringify(updated, null, 2)}\n`);
  } catch (err) {
    io.err(`tech set-pin: cannot write ${file}: ${err instanceof Error ? err.message : String(err)}; nothing was changed (run as the user who owns it, or use --print)\n`);
    return 1;
  }
  io.out(`The service PIN is set in ${file} (only its hash is kept). Restart the kiosk for it to take effect.\n`);
  return 0;
};
