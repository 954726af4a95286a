import type { DocumentScanner } from '../../drivers/types';
import { parseScan, parseTypedNumber, type DocumentParseResult, type ParsedDocument } from '../documents/parse';
import type { DocumentOutcome } from '../enrollment/context';
import type { ReadDocumentInput, TypedNumberInput } from '../enrollment/machine';
import type { DocumentSummary } from '../enrollment/view-model';

/** The document step's I/O: one scan from the scanner, parsed; or digits typed on the keypad. */

export function toOutcome(result: DocumentParseResult): DocumentOutcome {
  if (!result.ok) return { kind: 'invalid', error: result.error.message };
  const d = result.document;
  return { kind: 'parsed', document: summary(d), checks: d.checks, fields: fieldsOf(d) };
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

export function createDocumentService(scanner: DocumentScanner) {
  return {
    async readDocument(input: ReadDocumentInput, signal: AbortSignal): Promise<DocumentOutcome> {
      const scan = await scanner.read({ waitMs: input.waitMs, signal });
      switch (scan.kind) {
        case 'text':
          return toOutcome(parseScan(scan.text));
        case 'timeout':
          return { kind: 'timeout' };
        case 'fault':
          // An aborted read means the citizen left the step; nothing to show.
          return scan.reason === 'aborted' ? { kind: 'timeout' } : { kind: 'fault', message: scan.message };
      }
    },
    async parseTypedNumber(input: TypedNumberInput): Promise<DocumentOutcome> {
      // The keypad is offered as "I have an old CMND": 12 typed digits are a CMND, not a CCCD.
      return toOutcome(parseTypedNumber(input.digits, { as: 'cmnd' }));
    },
  };
}
