import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { describe, expect, it } from 'vitest';
import { encodeReceipt } from '../../../../../drivers/printer/escpos/encode';
import { EscPosSim } from '../../../../../drivers/printer/escpos/sim';

const NAMES = ['Nguyễn Thị Ánh Tuyết', 'Trần Đức Hưởng', 'ĐỖ VĂN HẢI', 'Phạm Ngọc Khuê', 'Lê Thị Mỹ Dung', 'Đà Nẵng, Ngũ Hành Sơn'];
const receipt = { lines: NAMES.map((text) => ({ text })), qr: 'K7Q-4MX-92P' };

function printed(bytes: Uint8Array): EscPosSim {
  const sim = new EscPosSim(80);
  sim.receive(bytes);
  return sim;
}

describe('Vietnamese on the wire', () => {
  it('CP1258 alone loses most toned letters (the encoder does not decompose them)', () => {
    const enc = new ReceiptPrinterEncoder({ codepageMapping: 'epson', newline: '\n' });
    const bytes = enc.codepage('windows1258').text('Nguyễn Thị').encode();
    expect([...bytes]).toContain(0x3f); // '?'
  });
  it('TCVN-3 + Windows-1258 code pages encode every letter of typical names', async () => {
    const sim = printed(await encodeReceipt(receipt, { paper: 80, vietnamese: 'codepage' }));
    for (const n of NAMES) expect(sim.transcript()).toContain(n);
    expect(sim.transcript()).not.toContain('?');
  });
  it('raster mode sends the text as GS v 0 images, no text bytes at all', async () => {
    const sim = printed(await encodeReceipt(receipt, { paper: 80, vietnamese: 'raster' }));
    const t = sim.transcript();
    expect(t).toMatch(/\[raster 576×\d+\]/);
    expect(t).not.toContain('Nguy');
    expect(t).toContain('[qr "K7Q-4MX-92P" module 6 level M]');
    expect(t).toContain('[cut partial]');
  });
  it('raster costs many more bytes than code pages (measured, 80 mm)', async () => {
    const raster = (await encodeReceipt(receipt, { paper: 80, vietnamese: 'raster' })).length;
    const text = (await encodeReceipt(receipt, { paper: 80, vietnamese: 'codepage' })).length;
    expect(raster).toBeGreaterThan(10 * text);
  });
});
