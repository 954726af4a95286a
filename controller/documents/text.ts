/**
 * Text clean-up for what scanners deliver. Some send NFD (base letter + combining marks), some
 * decode the QR's UTF-8 bytes with a Western code page ("Nguyá»…n" for "Nguyễn"). Both are
 * repaired here so that parsers and comparisons see one spelling (NFC).
 */

// Windows-1252 bytes 0x80–0x9F that map to characters outside Latin-1, reversed (char → byte).
const CP1252_HIGH: ReadonlyMap<string, number> = new Map([
  ['€', 0x80], ['‚', 0x82], ['ƒ', 0x83], ['„', 0x84], ['…', 0x85], ['†', 0x86], ['‡', 0x87],
  ['ˆ', 0x88], ['‰', 0x89], ['Š', 0x8a], ['‹', 0x8b], ['Œ', 0x8c], ['Ž', 0x8e], ['‘', 0x91],
  ['’', 0x92], ['“', 0x93], ['”', 0x94], ['•', 0x95], ['–', 0x96], ['—', 0x97], ['˜', 0x98],
  ['™', 0x99], ['š', 0x9a], ['›', 0x9b], ['œ', 0x9c], ['ž', 0x9e], ['Ÿ', 0x9f],
]);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * If `text` looks like UTF-8 bytes shown as Latin-1/Windows-1252, return the repaired text.
 * Only repairs when every character maps back to one byte AND the bytes are valid UTF-8 with
 * at least one multi-byte sequence, so correct Vietnamese text is never touched.
 */
export function repairMojibake(text: string): string | undefined {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]/u.test(text)) return undefined;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const code = ch.charCodeAt(0);
    const byte = code <= 0xff ? code : CP1252_HIGH.get(ch);
    if (byte === undefined) return undefined;
    bytes[i] = byte;
  }
  try {
    const repaired = strictUtf8.decode(bytes);
    return repaired === text ? undefined : repaired;
  } catch {
    return undefined; // not UTF-8 after all: leave the text alone
  }
}

export interface CleanText {
  readonly text: string;
  readonly repaired: boolean;
}

/** NFC, no BOM, no surrounding whitespace or line endings; code-page damage repaired. */
export function cleanScanText(raw: string): CleanText {
  const trimmed = raw.replace(/^\uFEFF/, '').trim();
  const repaired = repairMojibake(trimmed);
  return { text: (repaired ?? trimmed).normalize('NFC'), repaired: repaired !== undefined };
}

/** Upper-case ASCII letters only ("Nguyễn Văn Đức" → "NGUYEN VAN DUC"), for MRZ comparisons. */
export function foldToAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}
