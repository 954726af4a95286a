/**
 * Role (serial scanner protocol): what a serial 2D scanner (USB-CDC or UART) puts on the wire.
 * It has no protocol beyond "the decoded code's raw bytes, then a suffix": the suffix is a
 * scanner setting (the programming guides call it "Terminator" or "Suffix": CR, CRLF, none…).
 */
export type Suffix = 'CR' | 'LF' | 'CRLF' | 'none';

/** Carriage return, the factory terminator of most scanners. */
export const CR = 0x0d;
export const LF = 0x0a;

/** The suffix's bytes, for simulators and tests speaking to the codec. */
export function suffixBytes(suffix: Suffix): Uint8Array {
  switch (suffix) {
    case 'CR':
      return Uint8Array.of(CR);
    case 'LF':
      return Uint8Array.of(LF);
    case 'CRLF':
      return Uint8Array.of(CR, LF);
    case 'none':
      return new Uint8Array(0);
  }
}
