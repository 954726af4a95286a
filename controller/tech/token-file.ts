import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TOKEN_PATTERN } from '../../domain/tech-channel/messages';

/**
 * The local way into the tech channel (issue #13): at each start the kiosk makes a random token
 * and writes it, with the address of its loopback server, to `<dataDir>/tech-token`, mode 0600
 * (the kiosk's user alone reads it). `kiosk diag` run as that user (or root) on the kiosk reads
 * it and unlocks the channel without the PIN. The channel takes the token from this machine
 * only, never from the network; the file is removed when the kiosk stops, and a new start makes
 * a new token.
 */

export const TECH_TOKEN_FILE = 'tech-token';

const tokenFile = z.strictObject({ url: z.url({ protocol: /^http$/ }), token: z.string().regex(TOKEN_PATTERN) });
export type TechTokenFile = z.infer<typeof tokenFile>;

export function newTechToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function writeTechTokenFile(file: string, content: TechTokenFile): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  await rm(tmp, { force: true });
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(content)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, 0o600); // exactly this mode, whatever the umask
  await rename(tmp, file);
}

export type TokenFileRead = { readonly kind: 'ok'; readonly content: TechTokenFile } | { readonly kind: 'missing' } | { readonly kind: 'unreadable'; readonly message: string };

export async function readTechTokenFile(file: string): Promise<TokenFileRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? err.code : undefined;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', message: code === 'EACCES' ? `${file} is the kiosk user's alone: run this as that user (sudo -u <kiosk user> …) or give the PIN` : String(err) };
  }
  try {
    const parsed = tokenFile.safeParse(JSON.parse(text));
    if (parsed.success) return { kind: 'ok', content: parsed.data };
  } catch {
    // not JSON: said below
  }
  return { kind: 'unreadable', message: `${file} is not a token file the kiosk wrote` };
}

export async function removeTechTokenFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
