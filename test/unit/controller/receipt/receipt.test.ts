import { describe, expect, it } from 'vitest';
import { buildReceipt, formatVietnamTime, maskIdNumber } from '../../../../controller/receipt/receipt';

const input = {
  trackingCode: 'K7Q-4MX-92P',
  at: new Date('2025-03-14T02:41:00Z'),
  kioskId: 'KIOSK-045-01',
  fullName: 'Nguyễn Thị Ánh Tuyết'.normalize('NFD'),
  idNumber: '045301012345',
  language: 'vi' as const,
};
const text = (r: ReturnType<typeof buildReceipt>): string => r.lines.map((l) => l.text).join('\n');

describe('buildReceipt', () => {
  it('shows date and time in Vietnam time', () => {
    expect(formatVietnamTime(input.at)).toBe('14/03/2025 09:41');
    expect(text(buildReceipt(input))).toContain('14/03/2025 09:41');
  });
  it('masks the ID except its last four digits', () => {
    expect(maskIdNumber('045301012345')).toBe('********2345');
    expect(maskIdNumber('123456789')).toBe('******789');
    const t = text(buildReceipt(input));
    expect(t).toContain('********2345');
    expect(t).not.toContain('045301012345');
  });
  it('prints the name, kiosk and tracking code, and the tracking code as QR', () => {
    const r = buildReceipt(input);
    const t = text(r);
    expect(t).toContain('Nguyễn Thị Ánh Tuyết');
    expect(t).toContain('KIOSK-045-01');
    expect(t).toContain('K7Q-4MX-92P');
    expect(r.qr).toBe('K7Q-4MX-92P');
  });
  it('normalises every line to NFC', () => {
    for (const l of buildReceipt(input).lines) expect(l.text).toBe(l.text.normalize('NFC'));
  });
  it('says what happens next in Vietnamese first, then English', () => {
    const t = text(buildReceipt(input));
    expect(t.indexOf('Tiếp theo')).toBeGreaterThan(-1);
    expect(t.indexOf('Tiếp theo')).toBeLessThan(t.indexOf('Next:'));
  });
  it('says only what is true when it prints: the application is saved on this kiosk and will be sent, not that it has been sent', () => {
    for (const language of ['vi', 'en'] as const) {
      const t = text(buildReceipt({ ...input, language }));
      expect(t).not.toMatch(/đã được gửi|has been sent|was sent/i);
      expect(t).toMatch(/lưu tại máy này/);
      expect(t).toMatch(/sẽ được gửi/);
      expect(t).toMatch(/saved on this kiosk/);
      expect(t).toMatch(/will be sent/);
    }
  });
  it('tells the citizen to keep the paper only on the paper: the screen’s copy, shown when nothing printed, says to keep the code', () => {
    for (const language of ['vi', 'en'] as const) {
      const paper = text(buildReceipt({ ...input, language }, 'paper'));
      const screen = text(buildReceipt({ ...input, language }, 'screen'));
      expect(paper).toMatch(/giữ giấy này/);
      expect(paper).toMatch(/Keep this receipt/);
      expect(screen).not.toMatch(/giữ giấy|Keep this receipt|paper|mã QR|QR code/i);
      expect(screen).toMatch(/ghi lại hoặc chụp ảnh mã hồ sơ/);
      expect(screen).toMatch(/Write down or take a photo of this tracking code/);
      // The same facts otherwise: saved here, will be sent.
      expect(screen).toMatch(/saved on this kiosk/);
      expect(screen).toContain('K7Q-4MX-92P');
    }
  });

  it('names the case, the invitation and the guardian (masked like the citizen’s number)', () => {
    const t = text(buildReceipt({ ...input, case: 'lost', invitationId: 'GM-2026-0001', guardianName: 'Trần Thị Bích Ngọc', guardianIdNumber: '001185004321' }));
    expect(t).toContain('Lý do / Reason: Mất thẻ / Card lost');
    expect(t).toContain('Giấy mời / Invitation: GM-2026-0001');
    expect(t).toContain('Người giám hộ / Guardian: Trần Thị Bích Ngọc (********4321)');
    expect(t).not.toContain('001185004321');
  });
  it('says where to finish an application taken without biometrics (under 6), before what happens next', () => {
    const finishAt = { vi: 'Tại bàn tiếp dân của Công an phường.', en: "At the ward police station's desk." };
    const t = text(buildReceipt({ ...input, finishAt }));
    expect(t).toContain(finishAt.vi);
    expect(t).toContain(finishAt.en);
    expect(t.indexOf(finishAt.vi)).toBeLessThan(t.indexOf('Tiếp theo'));
  });
  it('prints none of it for an application without them', () => {
    expect(text(buildReceipt(input))).not.toMatch(/Lý do|Giấy mời|giám hộ|Hoàn tất/);
  });
});
