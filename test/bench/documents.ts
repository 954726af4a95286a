import { parseScan, parseTypedNumber } from '../../controller/documents/parse';
import { GARBAGE, MRZ_VALID, QR_SIX_FIELDS, QR_VALID } from '../fixtures/documents/samples';

/**
 * Parse throughput per document kind, in parses per second. A kiosk parses one document per
 * citizen, so this guards against pathological slowness (regex blow-ups, the mrz package's
 * cost), not against microseconds.
 */
function rate(fn: () => unknown, minMs = 200): number {
  for (let i = 0; i < 200; i++) fn(); // warm up the JIT
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i++) fn();
    runs += 100;
    elapsed = performance.now() - start;
  }
  return (runs / elapsed) * 1000;
}

const format = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')} parses/s`;

export async function benchDocuments(): Promise<Array<{ name: string; value: string }>> {
  const nfd = QR_VALID.normalize('NFD');
  const cases: Array<[string, () => unknown]> = [
    ['documents: cccd-qr', () => parseScan(QR_VALID)],
    ['documents: cccd-qr (NFD input)', () => parseScan(nfd)],
    ['documents: cccd-qr (6-field variant)', () => parseScan(QR_SIX_FIELDS)],
    ['documents: cccd-mrz', () => parseScan(MRZ_VALID)],
    ['documents: cccd-typed', () => parseTypedNumber('036190001234')],
    ['documents: cmnd-9', () => parseTypedNumber('163012345')],
    ['documents: garbage (refused)', () => GARBAGE.forEach((g) => parseScan(g))],
  ];
  return cases.map(([name, fn]) => ({ name, value: format(rate(fn)) }));
}
