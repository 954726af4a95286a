import { describe, expect, it } from 'vitest';
import { checkInvitation, type CheckContext } from '../../../../controller/invitations/sign';
import { INVITED, makeTestStation } from '../../../helpers/invitations';

/** The kiosk's check of a scanned invitation: each refusal has its own reason. */

const station = makeTestStation();
const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({ trusted: station.trusted, today: '2026-11-30', used: async () => false, ...over });

describe('checking an invitation', () => {
  it('accepts one signed by a trusted key, within its days, never used', async () => {
    await expect(checkInvitation(station.make(), ctx())).resolves.toEqual({ kind: 'accepted', invitation: INVITED });
  });

  it('accepts it on its first and its last day', async () => {
    await expect(checkInvitation(station.make(), ctx({ today: INVITED.validFrom }))).resolves.toMatchObject({ kind: 'accepted' });
    await expect(checkInvitation(station.make(), ctx({ today: INVITED.validUntil }))).resolves.toMatchObject({ kind: 'accepted' });
  });

  it('refuses it the day after its last day as expired, and the day before its first as not yet valid', async () => {
    await expect(checkInvitation(station.make(), ctx({ today: '2027-01-01' }))).resolves.toEqual({ kind: 'refused', reason: 'expired', invitationId: INVITED.id });
    await expect(checkInvitation(station.make(), ctx({ today: '2026-10-31' }))).resolves.toEqual({ kind: 'refused', reason: 'not-yet-valid', invitationId: INVITED.id });
  });

  it('refuses one whose fields were changed after signing as forged', async () => {
    const text = station.make().replace('079150001234', '079150009999');
    await expect(checkInvitation(text, ctx())).resolves.toMatchObject({ kind: 'refused', reason: 'forged' });
    const later = station.make().replace('20261231', '20271231');
    await expect(checkInvitation(later, ctx())).resolves.toMatchObject({ kind: 'refused', reason: 'forged' });
  });

  it('refuses one signed by a key the kiosk does not trust, even naming a trusted key id', async () => {
    const other = makeTestStation();
    await expect(checkInvitation(other.make(), ctx())).resolves.toMatchObject({ kind: 'refused', reason: 'unknown-key' });
    // A stranger's signature under the trusted key's id: the signature does not verify.
    const stolenId = other.make().replace(other.signer.keyId.toUpperCase(), station.signer.keyId.toUpperCase());
    await expect(checkInvitation(stolenId, ctx())).resolves.toMatchObject({ kind: 'refused', reason: 'forged' });
  });

  it('refuses one already used, asking the store by its id', async () => {
    const asked: string[] = [];
    const used = async (id: string) => (asked.push(id), true);
    await expect(checkInvitation(station.make(), ctx({ used }))).resolves.toEqual({ kind: 'refused', reason: 'used', invitationId: INVITED.id });
    expect(asked).toEqual([INVITED.id]);
  });

  it('does not ask the store about an invitation it refused for other reasons', async () => {
    const used = async (): Promise<boolean> => {
      throw new Error('asked');
    };
    await expect(checkInvitation(station.make(), ctx({ used, today: '2027-06-01' }))).resolves.toMatchObject({ reason: 'expired' });
  });

  it('refuses a broken invitation as malformed, and leaves a card code alone', async () => {
    await expect(checkInvitation('GM1*ONLY*THREE', ctx())).resolves.toEqual({ kind: 'refused', reason: 'malformed' });
    await expect(checkInvitation('079203001234|||Nguyễn Văn An|14052003|Nam|x|01012021', ctx())).resolves.toEqual({ kind: 'not-invitation' });
  });
});
