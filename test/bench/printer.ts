import { renderSignaturePng } from '../../controller/capture/signature-render';
import { buildReceipt } from '../../controller/receipt/receipt';
import { encodeReceipt, type VietnameseMode } from '../../drivers/printer/escpos/encode';
import type { SignatureStroke } from '../../domain/signature';

const RUNS = 15;

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up: librsvg and the font cache load on first use
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** A plausible signature: three strokes, ~300 points, in a 600×200 box. */
function sampleSignature(): SignatureStroke[] {
  return [0, 1, 2].map((k) =>
    Array.from({ length: 100 }, (_, i) => ({ x: 40 + k * 180 + i * 1.6, y: 100 + 60 * Math.sin((i + k * 30) / 9), t: i * 8 })),
  );
}

export async function benchPrinter(): Promise<Array<{ name: string; value: string }>> {
  const strokes = sampleSignature();
  const receipt = buildReceipt({
    trackingCode: 'K7Q-4MX-92P',
    at: new Date('2025-03-14T02:41:00Z'),
    kioskId: 'KIOSK-045-01',
    fullName: 'Nguyễn Thị Ánh Tuyết',
    idNumber: '045301012345',
    language: 'vi',
  });
  const out: Array<{ name: string; value: string }> = [
    { name: 'signature render 600×200 PNG (median)', value: `${(await medianMs(() => renderSignaturePng(strokes, { width: 600, height: 200 }))).toFixed(1)} ms` },
  ];
  for (const mode of ['raster', 'codepage'] as const satisfies readonly VietnameseMode[]) {
    for (const paper of [58, 80] as const) {
      const ms = await medianMs(() => encodeReceipt(receipt, { paper, vietnamese: mode }));
      const bytes = (await encodeReceipt(receipt, { paper, vietnamese: mode })).length;
      out.push({ name: `receipt encode ${mode} ${paper} mm (median)`, value: `${ms.toFixed(1)} ms` });
      out.push({
        name: `receipt bytes ${mode} ${paper} mm`,
        value: `${bytes} B (${((bytes * 10) / 115200).toFixed(2)} s at 115200 baud, ${((bytes * 10) / 9600).toFixed(1)} s at 9600)`,
      });
    }
  }
  return out;
}
