import { access } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { createOpsConsole } from '../ops-console/server';
import { LOGIN_PATTERN, loadKiosksFile, loadOfficersFile, OpsFileError, writeJsonFile, type Officer } from '../ops-console/files';
import { hashSecret } from '../tech/pin';
import type { CliCommand, CliIO } from './io';
import { officerName } from '../../domain/ops-channel/messages';
import { PACKAGE_ROOT } from '../../domain/package-root';

/**
 * `ops`: the hall officers' console (issue #14, docs/ops-console.md), and `ops add-officer`,
 * which adds (or changes the password of) an officer in the officers file.
 */

export const OPS_UI_ROOT = path.join(PACKAGE_ROOT, 'ui', 'dist', 'ops');

const HELP = `usage: ops --kiosks FILE --officers FILE [--port P] [--host H] [--secure-cookie]

Serves the hall officers' console (ui/ops/) behind a login, connected to the ops channel of
every kiosk in the kiosks file.
  --kiosks FILE     the hall: { "hall": "…", "kiosks": [{ "id", "label", "url": "ws://…/ws/ops", "token" }] }
  --officers FILE   who may log in (made with \`ops add-officer\`); default: officers.json beside the kiosks file
  --port P          default 8090
  --host H          default 127.0.0.1 (0.0.0.0: every address of this machine)
  --secure-cookie   the console is behind HTTPS: mark the session cookie Secure

Exit codes: 0 stopped, 1 a file cannot be read or is not valid, 2 usage.
`;

const ADD_HELP = `usage: ops add-officer --officers FILE --login LOGIN --name "FULL NAME"

Adds an officer who may log in to the console, or sets a new password for one already there.
The password (at least 10 characters) is typed twice at the terminal, or read from standard
input (one line), or from the OPS_OFFICER_PASSWORD environment variable. Only a salted scrypt
hash is kept. The name is what each kiosk's audit trail records for the officer's commands.

Exit codes: 0 done, 1 the file cannot be read or written, 2 usage or a refused password.
`;

type Flags = Map<string, string | true>;

function parseFlags(rest: readonly string[], valued: readonly string[], bare: readonly string[]): { ok: true; flags: Flags } | { ok: false; message: string } {
  const flags: Flags = new Map();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (bare.includes(name)) {
      flags.set(name, true);
      continue;
    }
    if (!valued.includes(name)) return { ok: false, message: `unknown option "${a}"` };
    const value = eq > 0 ? a.slice(eq + 1) : rest[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) return { ok: false, message: `${name} needs a value` };
    flags.set(name, value);
  }
  return { ok: true, flags };
}

const str = (f: Flags, k: string): string | undefined => {
  const v = f.get(k);
  return typeof v === 'string' ? v : undefined;
};

export const opsCommand: CliCommand = async (rest, io) => {
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const p = parseFlags(rest, ['--kiosks', '--officers', '--port', '--host'], ['--secure-cookie']);
  if (!p.ok) {
    io.err(`ops: ${p.message}\n\n${HELP}`);
    return 2;
  }
  const kiosksFile = str(p.flags, '--kiosks');
  if (!kiosksFile) {
    io.err(`ops: --kiosks FILE is needed\n\n${HELP}`);
    return 2;
  }
  const officersFile = str(p.flags, '--officers') ?? path.join(path.dirname(kiosksFile), 'officers.json');
  const port = Number(str(p.flags, '--port') ?? '8090');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    io.err(`ops: --port must be 0–65535\n`);
    return 2;
  }
  const host = str(p.flags, '--host') ?? '127.0.0.1';
  let hall;
  let officers;
  try {
    hall = await loadKiosksFile(kiosksFile);
    officers = await loadOfficersFile(officersFile);
  } catch (err) {
    if (err instanceof OpsFileError) {
      io.err(`ops: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (officers.officers.length === 0) io.err(`ops: the officers file ${officersFile} has nobody in it: add one with \`npm run kiosk -- ops add-officer\`\n`);
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const opsConsole = createOpsConsole({ hall, officers: officers.officers, uiRoot: OPS_UI_ROOT, log, secureCookie: p.flags.has('--secure-cookie') });
  const { url } = await opsConsole.listen(port, host);
  io.out(`ops console for ${hall.hall} (${hall.kiosks.length} kiosks) on ${url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await opsConsole.close();
  return 0;
};

async function readPassword(io: CliIO): Promise<{ readonly ok: true; readonly password: string } | { readonly ok: false; readonly message: string }> {
  const fromEnv = process.env.OPS_OFFICER_PASSWORD;
  if (fromEnv) return { ok: true, password: fromEnv };
  const typed = await io.readSecret?.('Password (at least 10 characters): ');
  if (typed !== undefined) {
    const again = await io.readSecret?.('The same password again: ');
    if (again !== typed) return { ok: false, message: 'the two passwords are not the same; nothing was changed' };
    return { ok: true, password: typed };
  }
  const line = (await io.readStdin()).split(/\r?\n/)[0] ?? '';
  if (line === '') return { ok: false, message: 'no password given: type it at the terminal, pipe it on standard input, or set OPS_OFFICER_PASSWORD' };
  return { ok: true, password: line };
}

export const opsAddOfficerCommand: CliCommand = async (rest, io) => {
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(ADD_HELP);
    return 0;
  }
  const p = parseFlags(rest, ['--officers', '--login', '--name', '--ln'], []);
  if (!p.ok) {
    io.err(`ops add-officer: ${p.message}\n\n${ADD_HELP}`);
    return 2;
  }
  const file = str(p.flags, '--officers');
  const login = str(p.flags, '--login');
  const name = str(p.flags, '--name');
  if (!file || !login || !name) {
    io.err(`ops add-officer: --officers, --login and --name are needed\n\n${ADD_HELP}`);
    return 2;
  }
  if (!LOGIN_PATTERN.test(login)) {
    io.err(`ops add-officer: a login is 2–32 lower-case letters, digits, ".", "_" or "-"\n`);
    return 2;
  }
  const okName = officerName.safeParse(name);
  if (!okName.success) {
    io.err(`ops add-officer: the name must be 1–64 characters, no control characters, no spaces at either end\n`);
    return 2;
  }
  const got = await readPassword(io);
  if (!got.ok) {
    io.err(`ops add-officer: ${got.message}\n`);
    return 2;
  }
  if ([...got.password].length < 10) {
    io.err('ops add-officer: a password is at least 10 characters\n');
    return 2;
  }
  let officers: Officer[] = [];
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (exists) {
    try {
      officers = [...(await loadOfficersFile(file)).officers];
    } catch (err) {
      io.err(`ops add-officer: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  // `--ln` (scrypt's cost) only for tests; the default is the PIN's.
  const ln = str(p.flags, '--ln');
  const hash = await hashSecret(got.password, ln ? { ln: Number(ln) } : {});
  const known = officers.some((o) => o.login === login);
  officers = known ? officers.map((o) => (o.login === login ? { login, name: okName.data, hash } : o)) : [...officers, { login, name: okName.data, hash }];
  try {
    await writeJsonFile(file, { officers });
  } catch (err) {
    io.err(`ops add-officer: cannot write ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  io.out(`${known ? 'new password for' : 'added'} ${login} (${okName.data}) in ${file}\n`);
  return 0;
};
