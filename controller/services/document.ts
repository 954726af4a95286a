import type { DocumentScanner, ScanResult } from '../../drivers/types';
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

type Working = { readonly kind: 'working' } | { readonly kind: 'still-down'; readonly fault: ScanResult & { kind: 'fault' } } | { readonly kind: 'left' };

/**
 * Wait until the scanner works again (its supervisor reopened it), the step is left, or `waitMs`
 * passes. A scanner that is down is not asked to read: it would fail at once, and the step would
 * spin on it; this waits on its status instead.
 */
function scannerWorking(scanner: DocumentScanner, waitMs: number, signal: AbortSignal): Promise<Working> {
  const up = (): boolean => scanner.status().state === 'ready' || scanner.status().state === 'busy';
  if (up()) return Promise.resolve({ kind: 'working' });
  if (signal.aborted) return Promise.resolve({ kind: 'left' });
  return new Promise((resolve) => {
    const done = (w: Working): void => {
      clearTimeout(timer);
      off();
      signal.removeEventListener('abort', onAbort);
      resolve(w);
    };
    const onAbort = (): void => done({ kind: 'left' });
    const off = scanner.onStatus(() => {
      if (up()) done({ kind: 'working' });
    });
    const timer = setTimeout(() => {
      // Still down at the end of the wait: say so again (the screen keeps its notice).
      void scanner.read({ waitMs: 0 }).then((r) => done(r.kind === 'fault' ? { kind: 'still-down', fault: r } : { kind: 'working' }));
    }, waitMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createDocumentService(scanner: DocumentScanner) {
  return {
    async readDocument(input: ReadDocumentInput, signal: AbortSignal): Promise<DocumentOutcome> {
      const working = await scannerWorking(scanner, input.waitMs, signal);
      if (working.kind === 'left') return { kind: 'timeout' };
      if (working.kind === 'still-down') return { kind: 'fault', reason: working.fault.reason, message: working.fault.message };
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
          // Unplugged or not answering: said at once (issue #13); the next read waits for the
          // scanner to be back rather than spin on it while its supervisor reconnects.
          return { kind: 'fault', reason: scan.reason, message: scan.message };
      }
    },
    async parseTypedNumber(input: TypedNumberInput): Promise<DocumentOutcome> {
      // The keypad is offered as "I have an old CMND": 12 typed digits are a CMND, not a CCCD;
      // unless the citizen's card is lost, damaged or their first (issue #15): then it is the card's number.
      const r = parseTypedNumber(input.digits, { as: input.as ?? 'cmnd', rejectImpossible: input.as === 'cccd' });
      // Typed, not machine-read (no card, or one too damaged to scan): staff check it by eye.
      return toOutcome(r.ok ? { ok: true, document: { ...r.document, flags: [...r.document.flags, 'typed-not-scanned'] } } : r);
    },
  };
}
