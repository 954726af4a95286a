import type { ScanResult } from '../../../drivers/types';
import { parseScan } from '../../documents/parse';
import { adviceFor, notWorking } from '../advice';
import { usableOr, type Outcome, type SelfTestHooks, type SelfTestKit } from '../self-test';

/** What the simulated scanner reads when it is tested: a test code, nobody's card. */
export const SIM_TEST_CODE = 'CCCD-KIOSK-SCANNER-TEST-0123456789';
/** The longest text shown of a code that is not an ID card. */
const SHOWN_CHARS = 200;

/** Control characters visible, so a technician sees a stray suffix or byte. */
const visible = (text: string): string => text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/**
 * Wait for one scan. Any code proves the scanner works; an ID card is named by its kind only
 * (whose card it is has no place on a service screen or in a terminal), any other code is shown
 * as read, so a technician with a test sheet sees the scanner's suffix and stray bytes.
 */
export async function scannerSelfTest(kit: SelfTestKit, hooks: SelfTestHooks): Promise<Outcome> {
  const down = await usableOr('scanner', kit.scanner, hooks.signal);
  if (down) return down;
  hooks.prompt?.({ vi: 'Đưa một mã QR hoặc mã vạch (một thẻ CCCD, hoặc tờ mã thử) dưới máy quét.', en: 'Hold a QR code or barcode (an ID card, or a test sheet) under the scanner.' });
  const reading = kit.scanner.read({ waitMs: kit.waits.scanMs, ...(hooks.signal ? { signal: hooks.signal } : {}) });
  await kit.sim?.document?.({ present: SIM_TEST_CODE });
  const r: ScanResult = await reading;
  if (r.kind === 'timeout') {
    return {
      ok: false,
      summary: { vi: `Máy quét không đọc được mã nào trong ${Math.round(kit.waits.scanMs / 1000)} giây.`, en: `The scanner read no code within ${Math.round(kit.waits.scanMs / 1000)} seconds.` },
      next: {
        vi: 'Bấm "Kiểm tra" rồi đưa mã dưới máy quét ngay, cách 5–15 cm. Nếu đèn của máy quét không sáng: kiểm tra cáp USB của máy quét.',
        en: "Press \"Test\" and hold a code under the scanner at once, 5–15 cm away. If the scanner's light does not come on: check the scanner's USB cable.",
      },
    };
  }
  if (r.kind === 'fault') return { ok: false, summary: notWorking('scanner', r.reason), next: adviceFor('scanner', r.reason), detail: r.message };
  const characters = [...r.text].length;
  const parsed = parseScan(r.text);
  if (parsed.ok) {
    return {
      ok: true,
      summary: { vi: `Đã đọc được giấy tờ tuỳ thân (${parsed.document.kind}), ${characters} ký tự.`, en: `An ID document was read (${parsed.document.kind}), ${characters} characters.` },
      scan: { document: parsed.document.kind, characters },
    };
  }
  const text = visible(r.text);
  return {
    ok: true,
    summary: { vi: `Đã đọc được một mã, ${characters} ký tự.`, en: `A code was read, ${characters} characters.` },
    scan: { characters, text: text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text },
  };
}
