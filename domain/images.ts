/** 8-bit greyscale raster, row-major, one byte a pixel, 0 = black. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}
