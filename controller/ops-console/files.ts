import { chmod, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PIN_HASH_PATTERN } from '../tech/pin';
import { officerName } from '../../domain/ops-channel/messages';

/**
 * The ops process's two files (issue #14, docs/ops-console.md): the hall's kiosks (where each
 * kiosk's ops channel is, and its token) and the officers who may log in (a login, the name the
 * kiosks' audit trails record, and a salted scrypt hash of the password, never the password).
 * Both are validated in full at start; a bad file names the key that is wrong.
 */

export const LOGIN_PATTERN = /^[a-z0-9._-]{2,32}$/;

const kioskEntry = z.strictObject({
  /** The kiosk's kioskId (the console checks the kiosk says the same in its hello). */
  id: z.string().regex(/^[A-Za-z0-9-]{3,32}$/, 'letters, digits and dashes, 3–32 characters'),
  /** What officers call it ("Quầy 3"). */
  label: z.string().min(1).max(40).optional(),
  /** ws:// or wss:// … /ws/ops */
  url: z.string().regex(/^wss?:\/\/[^\s]+$/, 'a ws:// or wss:// URL of the kiosk\'s /ws/ops'),
  /** The kiosk's ops.consoleToken. */
  token: z.string().min(32, 'the kiosk\'s ops.consoleToken (at least 32 characters)'),
});

export const kiosksFileSchema = z.strictObject({
  /** The hall's name, shown on the console. */
  hall: z.string().min(1).max(80).default('Hall'),
  kiosks: z.array(kioskEntry).min(1).max(5000).superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [i, k] of list.entries()) {
      if (seen.has(k.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `${k.id} is listed twice` });
      seen.add(k.id);
    }
  }),
});
export type KiosksFile = z.infer<typeof kiosksFileSchema>;
export type KioskEntry = z.infer<typeof kioskEntry>;

const officerEntry = z.strictObject({
  login: z.string().regex(LOGIN_PATTERN, '2–32 lower-case letters, digits, ".", "_" or "-"'),
  name: officerName,
  hash: z.string().regex(PIN_HASH_PATTERN, 'a hash as `npm run kiosk -- ops add-officer` writes it ($scrypt$ln=…)'),
});
export const officersFileSchema = z.strictObject({ officers: z.array(officerEntry).max(1000) });
export type OfficersFile = z.infer<typeof officersFileSchema>;
export type Officer = z.infer<typeof officerEntry>;

export class OpsFileError extends Error {
  override readonly name = 'OpsFileError';
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new OpsFileError(`cannot read the ${what} ${file}: ${err instanceof Error && 'code' in err ? String(err.code) : String(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new OpsFileError(`the ${what} ${file} is not JSON`);
  }
}

function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.map(String).join('.') || '(file)'}: ${i.message}` : 'invalid';
}

export async function loadKiosksFile(file: string): Promise<KiosksFile> {
  const parsed = kiosksFileSchema.safeParse(await readJson(file, 'kiosks file'));
  if (!parsed.success) throw new OpsFileError(`the kiosks file ${file} is not valid: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

export async function loadOfficersFile(file: string): Promise<OfficersFile> {
  const parsed = officersFileSchema.safeParse(await readJson(file, 'officers file'));
  if (!parsed.success) throw new OpsFileError(`the officers file ${file} is not valid: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/** Write `data` to `file` (mode 0600), all or nothing: a temporary file renamed over it. */
export async function writeJsonFile(file: string, data: unknown): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await rm(tmp, { force: true });
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(data, null, 2)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
