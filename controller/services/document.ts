import type { DocumentScanner } from '../../drivers/types';
import { msg } from '../documents/messages';
import { crossCheck, parseScan, parseTypedNumber, type DocumentParseResult, type ParsedDocument } from '../documents/parse';
import type { DocumentOutcome } from '../enrollment/context';
import type { ReadDocumentInput, TypedNumberInput } from '../enrollment/machine';
import type { DocumentSummary } from '../../domain/kiosk-channel/view-model';

/** The document step's I/O: one scan from the scanner, parsed; or digits typed on the keypad. */

export function toOutcome(result: DocumentParseResult): DocumentOutcome {
  if (!result.ok) return { kind: 'invalid', error: result.error.message };
  const d = result.document;
  return { kind: 'parsed', document: summary(d), checks: d.checks, fields: fieldsOf(d), reading: d };
}

const SIDES: Readonly<Partial<Record<string, 'front' | 'back'>>> = { 'cccd-qr': 'front', 'cccd-mrz': 'back' };

/**
 * The citizen scanned the other side of the same card: check the two readings agree (ID, date
 * of birth, sex, name), and keep the richer one (the QR's name has diacritics and the address;
 * the MRZ adds the expiry date). A second scan of the same side simply replaces the first.
 */
export function combineSides(previous: ParsedDocument, next: ParsedDocument): DocumentOutcome {
  const a = SIDES[previous.kind];
  const b = SIDES[next.kind];
  if (!a || !b || a === b) return toOutcome({ ok: true, document: next });
  const [front, back] = a === 'front' ? [previous, next] : [next, previous];
  const cross = crossCheck(front, back);
  const merged: ParsedDocument = {
    ...front,
    ...(back.expiryDate ? { expiryDate: back.expiryDate } : {}),
    checks: [...front.checks, ...back.checks, ...cross.checks],
    flags: [...new Set([...front.flags, ...back.flags, 'front-and-back-read'])],
  };
  return toOutcome({ ok: true, document: merged });
}

function summary(d: ParsedDocument): DocumentSummary {
  return {
    kind: d.kind,
    idNumber: d.idNumber,
    flags: d.flags,
    ...(d.oldIdNumber ? { oldIdNumber: d.oldIdNumber } : {}),
    ...(d.fullName ? { fullName: d.fullName } : {}),
    ...(d.dateOfBirth ? { dateOfBirth: d.dateOfBirth } : {}),
    ...(d.sex ? { sex: d.sex } : {}),
    ...(d.address ? { address: d.address } : {}),
    ...(d.issueDate ? { issueDate: d.issueDate } : {}),
  };
}

/** The string fields as read, for the packet manifest. */
function fieldsOf(d: ParsedDocument): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  add('oldIdNumber', d.oldIdNumber);
  add('fullName', d.fullName);
  add('dateOfBirth', d.dateOfBirth);
  add('sex', d.sex);
  add('address', d.address);
  add('issueDate', d.issueDate);
  add('expiryDate', d.expiryDate);
  return out;
}

const FAULT_PAUSE_MS = 1000;

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

export function createDocumentService(scanner: DocumentScanner) {
  return {
    async readDocument(input: ReadDocumentInput, signal: AbortSignal): Promise<DocumentOutcome> {
      const scan = await scanner.read({ waitMs: input.waitMs, signal });
      switch (scan.kind) {
        case 'text': {
          const parsed = parseScan(scan.text);
          const previous = input.previous?.reading;
          return parsed.ok && previous ? combineSides(previous, parsed.document) : toOutcome(parsed);
        }
        case 'timeout':
          return { kind: 'timeout' };
        case 'fault':
          // An aborted read means the citizen left the step; nothing to show.
          if (scan.reason === 'aborted') return { kind: 'timeout' };
          // Bytes that were not a whole scan (a card moved mid-read, a smudged code): the scanner
          // works, the reading did not. Say what the citizen can do, don't blame the device.
          if (scan.reason === 'protocol') return { kind: 'invalid', error: msg.unreadableScan() };
          // A scanner that is unplugged answers at once; pause so the step doesn't spin on it
          // while the supervisor reconnects.
          await pause(FAULT_PAUSE_MS, signal);
          return { kind: 'fault', reason: scan.reason, message: scan.message };
      }
    },
    async parseTypedNumber(input: TypedNumberInput): Promise<DocumentOutcome> {
      // The keypad is offered as "I have an old CMND": 12 typed digits are a CMND, not a CCCD.
      const r = parseTypedNumber(input.digits, { as: 'cmnd' });
      // Typed, not machine-read (no card, or one too damaged to scan): staff check it by eye.
      return toOutcome(r.ok ? { ok: true, document: { ...r.document, flags: [...r.document.flags, 'typed-not-scanned'] } } : r);
    },
  };
}
