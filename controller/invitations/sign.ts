import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { keyIdOf } from '../packet/keys';
import { KeyFileError, readPrivatePem, writePrivatePemExclusive } from '../packet/keyfile';
import { decodeInvitation, encodeInvitation, signingBytes, unsignedText, type InvitationPayload } from './format';
import type { InvitationFacts, InvitationRefusal } from '../../domain/application';

/**
 * Signing invitations (the police station's side: `invitation make`) and checking them (the
 * kiosk's start screen). Ed25519; the kiosk trusts the public keys its config lists
 * (`invitations.publicKeys`), each known by its key id (docs/invitation-format.md).
 */

export interface InvitationSigner {
  readonly privateKey: KeyObject;
  readonly keyId: string;
}

/** Sign fields as an invitation and give the QR text. */
export function makeInvitation(fields: Omit<InvitationPayload, 'keyId'>, signer: InvitationSigner): string {
  const payload: InvitationPayload = { ...fields, keyId: signer.keyId };
  const signature = sign(null, signingBytes(unsignedText(payload)), signer.privateKey);
  return encodeInvitation(payload, new Uint8Array(signature));
}

/** What the kiosk makes of a scan on its start screen. */
export type InvitationCheck =
  | { readonly kind: 'accepted'; readonly invitation: InvitationFacts }
  /** `invitationId` when the text was whole enough to name one (for the audit; never the ID number). */
  | { readonly kind: 'refused'; readonly reason: InvitationRefusal; readonly invitationId?: string }
  /** Not an invitation at all (a card's code): not for the start screen. */
  | { readonly kind: 'not-invitation' };

export interface CheckContext {
  /** The trusted public keys, by key id. */
  readonly trusted: ReadonlyMap<string, KeyObject>;
  /** Today in Vietnam, ISO yyyy-mm-dd (documents/dates.ts todayIso). */
  readonly today: string;
  /** Has an application already been committed with this invitation? */
  readonly used: (id: string) => Promise<boolean>;
}

/** Checks in this order: whole, signed by a trusted key, signature, dates, not used before. */
export async function checkInvitation(text: string, ctx: CheckContext): Promise<InvitationCheck> {
  const decoded = decodeInvitation(text);
  if (!decoded.ok) return decoded.error === 'not-invitation' ? { kind: 'not-invitation' } : { kind: 'refused', reason: 'malformed' };
  const { payload, signed, signature } = decoded.invitation;
  const key = ctx.trusted.get(payload.keyId);
  // Until its signature is checked nothing in it is true; its id only names what was refused.
  if (!key) return { kind: 'refused', reason: 'unknown-key', invitationId: payload.id };
  if (!verify(null, signed, key, signature)) return { kind: 'refused', reason: 'forged', invitationId: payload.id };
  if (ctx.today < payload.validFrom) return { kind: 'refused', reason: 'not-yet-valid', invitationId: payload.id };
  if (ctx.today > payload.validUntil) return { kind: 'refused', reason: 'expired', invitationId: payload.id };
  if (await ctx.used(payload.id)) return { kind: 'refused', reason: 'used', invitationId: payload.id };
  const { keyId: _keyId, ...facts } = payload;
  return { kind: 'accepted', invitation: facts };
}

/** A fresh invitation key pair, written as PEM files: the private one 0600, never overwritten. */
export async function initInvitationKey(privatePath: string): Promise<{ readonly created: boolean; readonly signer: InvitationSigner; readonly publicPem: string }> {
  const existing = await readPrivatePem(privatePath);
  if (existing !== null) {
    const signer = signerFromPem(existing, privatePath);
    return { created: false, signer, publicPem: publicPemOf(signer.privateKey) };
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  if (!(await writePrivatePemExclusive(privatePath, pem))) throw new KeyFileError(`${privatePath} appeared while creating it; run again.`, privatePath);
  const signer = signerFromPem(pem, privatePath);
  return { created: true, signer, publicPem: publicPemOf(signer.privateKey) };
}

export async function loadInvitationSigner(privatePath: string): Promise<InvitationSigner> {
  const pem = await readPrivatePem(privatePath);
  if (pem === null) throw new KeyFileError(`${privatePath} does not exist; make one with "invitation keys init".`, privatePath);
  return signerFromPem(pem, privatePath);
}

function signerFromPem(pem: string, path: string): InvitationSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyFileError(`${path} is not a readable PEM private key.`, path);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${path} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519.`, path);
  return { privateKey, keyId: keyIdOf(createPublicKey(privateKey)) };
}

const publicPemOf = (privateKey: KeyObject): string => createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();

/** The trusted keys named in config (SPKI PEM files), by key id. Throws KeyFileError naming a file that is not an Ed25519 public key. */
export async function loadTrustedInvitationKeys(paths: readonly string[]): Promise<Map<string, KeyObject>> {
  const out = new Map<string, KeyObject>();
  for (const path of paths) {
    const pem = await readFile(path, 'utf8');
    let key: KeyObject;
    try {
      key = createPublicKey({ key: pem, format: 'pem' });
    } catch {
      throw new KeyFileError(`${path} is not a PEM public key (expected an invitation key's Ed25519 SPKI PEM).`, path);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${path} holds a ${key.asymmetricKeyType ?? 'unknown'} key; invitations are signed with Ed25519.`, path);
    out.set(keyIdOf(key), key);
  }
  return out;
}
