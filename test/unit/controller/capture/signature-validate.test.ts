import { describe, expect, it } from 'vitest';
import { validateSignature } from '../../../../controller/capture/signature-validate';
import type { SignatureStroke } from '../../../../domain/signature';

const box = { width: 600, height: 200 };
const line = (x0: number, y0: number, x1: number, y1: number, n = 20): SignatureStroke =>
  Array.from({ length: n }, (_, i) => ({ x: x0 + ((x1 - x0) * i) / (n - 1), y: y0 + ((y1 - y0) * i) / (n - 1), t: i * 10 }));
const signature: SignatureStroke[] = [line(50, 150, 250, 40), line(250, 40, 400, 160), line(400, 160, 550, 60)];

describe('validateSignature', () => {
  it('accepts a real signature and reports its ink', () => {
    const r = validateSignature(signature, box);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.stats.strokes).toBe(3);
      expect(r.stats.points).toBe(60);
      expect(r.stats.pathLength).toBeGreaterThan(500);
    }
  });
  it('rejects no strokes as empty', () => {
    expect(validateSignature([], box)).toMatchObject({ ok: false, code: 'empty' });
  });
  it('rejects strokes without points as empty', () => {
    expect(validateSignature([[], []], box)).toMatchObject({ ok: false, code: 'empty' });
  });
  it('rejects a tap as a single dot', () => {
    expect(validateSignature([[{ x: 100, y: 100, t: 0 }, { x: 101, y: 100, t: 5 }]], box)).toMatchObject({ ok: false, code: 'single-dot' });
  });
  it('rejects a tiny scribble as too little ink', () => {
    expect(validateSignature([line(100, 100, 130, 110)], box)).toMatchObject({ ok: false, code: 'too-little-ink' });
  });
  it('rejects a long stroke squeezed into a small area as too little ink', () => {
    const zigzag: SignatureStroke = Array.from({ length: 200 }, (_, i) => ({ x: 100 + (i % 2) * 20, y: 100 + (i % 3), t: i }));
    expect(validateSignature([zigzag], box)).toMatchObject({ ok: false, code: 'too-little-ink' });
  });
  it('rejects points outside the box beyond the tolerance', () => {
    expect(validateSignature([...signature, line(500, 100, 640, 100)], box)).toMatchObject({ ok: false, code: 'outside-box' });
  });
  it('tolerates points a few pixels outside the box', () => {
    expect(validateSignature([...signature, line(500, 100, 602, 100)], box).ok).toBe(true);
  });
  it('rejects more points than the cap', () => {
    const huge: SignatureStroke = Array.from({ length: 10_001 }, (_, i) => ({ x: i % 600, y: 100, t: i }));
    expect(validateSignature([huge], box)).toMatchObject({ ok: false, code: 'too-many-points' });
  });
  it('rejects NaN or infinite coordinates', () => {
    expect(validateSignature([[...line(10, 10, 500, 150), { x: Number.NaN, y: 1, t: 1 }]], box)).toMatchObject({ ok: false, code: 'bad-point' });
    expect(validateSignature([[{ x: Infinity, y: 1, t: 1 }]], box)).toMatchObject({ ok: false, code: 'bad-point' });
  });
  it('tells the citizen what to do next, in Vietnamese with diacritics and in English', () => {
    const r = validateSignature([line(100, 100, 130, 110)], box);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message.vi).toMatch(/Xin ký lại/);
      expect(r.message.vi).toBe(r.message.vi.normalize('NFC'));
      expect(r.message.en).toMatch(/sign again/i);
    }
  });
});
