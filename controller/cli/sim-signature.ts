
/**
 * A plausible handwritten signature in a 600×200 box: a looping first stroke, a flourish and an
 * underline, with points every ~8 ms. `variant` shifts it so consecutive citizens differ.
 */
type Point = { x: number; y: number; t: number };

export function signatureStrokes(variant: number): Point[][] {
  const dx = (variant % 7) * 6;
  const loop: Point[] = Array.from({ length: 80 }, (_, i) => {
    const t = i / 79;
    return { x: 60 + dx + t * 300 + 25 * Math.sin(t * Math.PI * 6), y: 100 + 40 * Math.sin(t * Math.PI * 4) * (1 - t / 2), t: i * 8 };
  });
  const flourish: Point[] = Array.from({ length: 40 }, (_, i) => {
    const t = i / 39;
    return { x: 380 + dx + t * 120, y: 120 - 50 * Math.sin(t * Math.PI), t: i * 8 };
  });
  const underline: Point[] = Array.from({ length: 30 }, (_, i) => ({ x: 70 + dx + i * 14, y: 165 + (i % 3), t: i * 8 }));
  return [loop, flourish, underline];
}
