import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { keyIdOf } from '../../controller/packet/keys';
import { makeInvitation, type InvitationSigner } from '../../controller/invitations/sign';
import type { InvitationFacts } from '../../domain/application';

/** A police station's invitation key made in memory, and what a kiosk trusting it holds. */
export interface TestStation {
  readonly signer: InvitationSigner;
  readonly publicKey: KeyObject;
  readonly trusted: ReadonlyMap<string, KeyObject>;
  readonly publicPem: string;
  make(fields?: Partial<InvitationFacts>): string;
}

export const INVITED: InvitationFacts = {
  id: 'GM-2026-0001',
  idNumber: '079150001234',
  case: 'expired',
  priority: 'elderly',
  validFrom: '2026-11-01',
  validUntil: '2026-12-31',
  station: 'CAP-BEN-NGHE',
};

export function makeTestStation(): TestStation {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = createPublicKey(privateKey);
  const signer = { privateKey, keyId: keyIdOf(publicKey) };
  return {
    signer,
    publicKey,
    trusted: new Map([[signer.keyId, publicKey]]),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    make: (fields = {}) => makeInvitation({ ...INVITED, ...fields }, signer),
  };
}
