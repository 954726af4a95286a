/** One pen/finger point in CSS pixels of the signature box, with ms since the stroke began. */
export interface SignaturePoint {
  readonly x: number;
  readonly y: number;
  readonly t: number;
  readonly pressure?: number;
}
export type SignatureStroke = readonly SignaturePoint[];

/** The box the strokes were drawn in, so the controller can check "inside the box". */
export interface SignatureBox {
  readonly width: number;
  readonly height: number;
}
