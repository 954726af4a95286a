import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderSignaturePng } from '../../../../controller/capture/signature-render';
import type { SignatureStroke } from '../../../../domain/signature';

const stroke: SignatureStroke = Array.from({ length: 30 }, (_, i) => ({ x: 30 + i * 10, y: 100, t: i * 8 }));

async function grey(png: Uint8Array): Promise<{ at: (x: number, y: number) => number; width: number; height: number }> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, at: (x, y) => data[(y * info.width + x) * info.channels] ?? -1 };
}

describe('renderSignaturePng', () => {
  it('renders at the fixed size whatever the box', async () => {
    const img = await grey(await renderSignaturePng([stroke], { width: 300, height: 200 }));
    expect([img.width, img.height]).toEqual([600, 200]);
  });
  it('puts ink where the stroke was and leaves the rest white', async () => {
    // Box 600×200 maps 1:1 onto the 600×200 PNG.
    const img = await grey(await renderSignaturePng([stroke], { width: 600, height: 200 }));
    expect(img.at(150, 100)).toBeLessThan(64);
    expect(img.at(150, 60)).toBe(255);
    expect(img.at(500, 100)).toBe(255); // past the stroke's end (x = 320)
  });
  it('scales the box uniformly and centres it', async () => {
    // Box 300×100 → scale 2: point (75, 50) lands at (150, 100).
    const img = await grey(await renderSignaturePng([[{ x: 50, y: 50, t: 0 }, { x: 100, y: 50, t: 10 }]], { width: 300, height: 100 }));
    expect(img.at(150, 100)).toBeLessThan(64);
    expect(img.at(150, 20)).toBe(255);
  });
});
