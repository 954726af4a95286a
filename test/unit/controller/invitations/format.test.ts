import fc from 'fast-check';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  MAX_INVITATION_CHARS,
  base32,
  decodeInvitation,
  encodeInvitation,
  fromBase32,
  looksLikeInvitation,
  signingBytes,
  unsignedText,
  type InvitationPayload,
} from '../../../../controller/invitations/format';
import { APPLICATION_CASES, PRIORITY_GROUPS } from '../../../../domain/application';
import { INVITED, makeTestStation } from '../../../helpers/invitations';

/** The invitation QR text (docs/invitation-format.md): its fields, its canonical bytes, its bounds. */

const PAYLOAD: InvitationPayload = { ...INVITED, keyId: '0123456789abcdef' };
const SIG = Uint8Array.from({ length: 64 }, (_, i) => i * 3);

describe('the invitation QR text', () => {
  it('round-trips every field', () => {
    const text = encodeInvitation(PAYLOAD, SIG);
    const d = decodeInvitation(text);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.invitation.payload).toEqual(PAYLOAD);
    expect([...d.invitation.signature]).toEqual([...SIG]);
    expect(new TextDecoder().decode(d.invitation.signed)).toBe(`cccd-kiosk/invitation/1\n${unsignedText(PAYLOAD)}`);
  });

  it('is written in the QR code alphanumeric set, and short (a version 8 symbol at error correction M)', () => {
    const text = makeTestStation().make({ id: 'GM-20-CHARACTERS-XYZ', station: 'CAP-PHUONG-BEN-NGHE-Q01', priority: 'disability', case: 'damaged' });
    expect(text).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    // The longest fields allowed: 219 characters, which the qrcode package draws as version 8-M.
    expect(text.length).toBeLessThanOrEqual(219);
    expect(QRCode.create([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(8);
  });

  it('reads the case and priority codes of every value', () => {
    for (const c of APPLICATION_CASES) for (const p of PRIORITY_GROUPS) {
      const d = decodeInvitation(encodeInvitation({ ...PAYLOAD, case: c, priority: p }, SIG));
      expect(d.ok && [d.invitation.payload.case, d.invitation.payload.priority]).toEqual([c, p]);
    }
  });

  it('takes letters in either case, and checks the signature over the upper-case text', () => {
    const text = encodeInvitation(PAYLOAD, SIG);
    const lower = decodeInvitation(`  ${text.toLowerCase()}\r\n`);
    expect(lower.ok && lower.invitation.payload).toEqual(PAYLOAD);
    expect(lower.ok && [...lower.invitation.signed]).toEqual([...signingBytes(unsignedText(PAYLOAD))]);
  });

  it('tells a card scan from an invitation', () => {
    expect(looksLikeInvitation('079203001234|123456789|Nguyễn Văn An|14052003|Nam|Hà Nội|01012021')).toBe(false);
    expect(decodeInvitation('IDVNM2030012347079203001234<<8').ok).toBe(false);
    expect(decodeInvitation('079203001234')).toMatchObject({ ok: false, error: 'not-invitation' });
  });

  it.each([
    ['a field missing', (t: string) => t.split('*').slice(0, 9).join('*')],
    ['a field too many', (t: string) => `${t}*X`],
    ['an unknown case', (t: string) => t.replace('*EXPIRED*', '*STOLEN*')],
    ['an unknown priority', (t: string) => t.replace('*ELDERLY*', '*VIP*')],
    ['a day that does not exist', (t: string) => t.replace('20261231', '20260231')],
    ['an ID number of 10 digits', (t: string) => t.replace('079150001234', '0791500012')],
    ['a signature of the wrong length', (t: string) => t.slice(0, -2)],
    ['a signature with a character outside base32', (t: string) => `${t.slice(0, -1)}1`],
  ])('refuses an invitation with %s as malformed', (_what, change) => {
    expect(decodeInvitation(change(encodeInvitation(PAYLOAD, SIG)))).toMatchObject({ ok: false, error: 'malformed' });
  });

  it('refuses to write fields it could not read back', () => {
    expect(() => encodeInvitation({ ...PAYLOAD, id: 'has*star' }, SIG)).toThrow(/invitation id/);
    expect(() => encodeInvitation({ ...PAYLOAD, validUntil: '2026-10-01' }, SIG)).toThrow(/before it starts/);
    expect(() => encodeInvitation({ ...PAYLOAD, idNumber: '12345' }, SIG)).toThrow(/ID number/);
  });

  it('base32 round-trips any bytes and refuses a non-canonical tail', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      expect([...(fromBase32(base32(bytes)) ?? [])]).toEqual([...bytes]);
    }));
    // 64 bytes leave 3 spare bits in the last character: only zeros there are canonical.
    const text = base32(SIG);
    const last = text.charAt(text.length - 1);
    const other = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.charAt(('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(last) + 1) % 32);
    expect(fromBase32(text.slice(0, -1) + other)).toBeUndefined();
  });

  describe('on any input', () => {
    const wellFormed = (r: ReturnType<typeof decodeInvitation>): boolean =>
      r.ok ? r.invitation.signature.length === 64 && r.invitation.signed.length <= MAX_INVITATION_CHARS + 64 : r.error === 'not-invitation' || r.error === 'malformed';

    it('never throws and always answers in one of its shapes', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (t) => wellFormed(decodeInvitation(t))), { numRuns: 500 });
    });

    it('never throws on an invitation with any one field replaced by anything', () => {
      const fields = encodeInvitation(PAYLOAD, SIG).split('*');
      fc.assert(
        fc.property(fc.nat({ max: fields.length - 1 }), fc.string({ unit: 'binary', maxLength: 120 }), (i, junk) => {
          const t = fields.map((f, j) => (j === i ? junk : f)).join('*');
          return wellFormed(decodeInvitation(t));
        }),
        { numRuns: 500 },
      );
    });

    it('reads nothing of a text longer than the bound', () => {
      const long = `${encodeInvitation(PAYLOAD, SIG)}${'A'.repeat(MAX_INVITATION_CHARS)}`;
      expect(decodeInvitation(long)).toMatchObject({ ok: false, error: 'malformed', detail: 'too long' });
      expect(decodeInvitation('x'.repeat(100_000))).toMatchObject({ ok: false, error: 'not-invitation' });
    });
  });
});
