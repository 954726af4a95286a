import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { StaffAlert } from '../../../../controller/ops/alerts';
import { createReceiptService } from '../../../../controller/services/receipt';
import { createSimulatedPrinter, type SimulatedPrinter } from '../../../../drivers/printer/escpos/simulated';
import { recordingLog } from '../../../helpers/device-log';

/** The receipt service on the real ESC/POS driver against the printer simulator. */

const log = pino({ level: 'silent' });
const made: SimulatedPrinter[] = [];
afterEach(async () => {
  for (const m of made.splice(0)) await m.printer.close();
});

async function service(knobs: Parameters<typeof createSimulatedPrinter>[0]['knobs'] = {}) {
  const s = createSimulatedPrinter({ log: recordingLog(), knobs });
  made.push(s);
  await s.printer.open();
  const alerts: StaffAlert[] = [];
  const print = createReceiptService(s.printer, 'KIOSK-045-01', log, (a) => alerts.push(a), () => new Date('2025-03-14T02:41:00Z'));
  return { print, alerts };
}

const input = { trackingCode: 'K7Q-4MX-92P', fullName: 'Nguyễn Thị Ánh Tuyết', idNumber: '045301012345', lang: 'vi' as const };
const signal = new AbortController().signal;

describe('the receipt service', () => {
  it('printed: the screen shows the paper’s words, "keep this receipt" among them', async () => {
    const { print } = await service();
    const o = await print(input, signal);
    expect(o.printed).toBe(true);
    expect(o.receiptLines.join('\n')).toMatch(/Hãy giữ giấy này/);
  });

  it.each([['paperOut'], ['coverOpen'], ['offline']] as const)('not printed (%s): the screen’s copy never says to keep a paper there is none of, and staff are told', async (knob) => {
    const { print, alerts } = await service({ [knob]: true });
    const o = await print(input, signal);
    expect(o.printed).toBe(false);
    const text = o.receiptLines.join('\n');
    expect(text).not.toMatch(/giữ giấy|Keep this receipt|QR/);
    expect(text).toMatch(/ghi lại hoặc chụp ảnh mã hồ sơ/);
    expect(text).toContain('K7Q-4MX-92P');
    expect(o.message?.vi).toMatch(/chụp ảnh màn hình/);
    expect(alerts).toHaveLength(1);
  });
});
