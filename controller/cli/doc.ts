import { parseScan } from '../documents/parse';
import type { ParsedDocument } from '../documents/types';
import type { CliCommand, CliIO } from './io';

const HELP = `Usage: kiosk doc parse [--json]

Reads one scanned text on stdin (the CCCD front QR payload, or the three MRZ lines from the
back) and prints the parsed document. Exit 0 when it parses (checks may still have failed:
see "checks"), 2 when it does not, with the field that is broken, 64 on bad usage.

  --json   print the document (or the error) as JSON
  --help   this text

Example:
  echo '036190001234|163012345|Trần Thị Bích Ngọc|12081990|Nữ|Xóm 3, Nam Định|10052021' | npm run kiosk -- doc parse
`;

/** The fields the CLI prints, in this order (the issue's contract). */
function view(d: ParsedDocument) {
  return {
    kind: d.kind,
    idNumber: d.idNumber,
    oldIdNumber: d.oldIdNumber,
    fullName: d.fullName,
    dateOfBirth: d.dateOfBirth,
    sex: d.sex,
    address: d.address,
    issueDate: d.issueDate,
    expiryDate: d.expiryDate,
    checks: d.checks,
    flags: d.flags,
  };
}

function printText(io: CliIO, d: ParsedDocument): void {
  const v = view(d);
  for (const [key, value] of Object.entries(v)) {
    if (value === undefined || key === 'checks' || key === 'flags') continue;
    io.out(`${key.padEnd(12)} ${String(value)}\n`);
  }
  for (const c of d.checks) io.out(`check        ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.message ? `: ${c.message.en}` : ''}\n`);
  if (d.flags.length > 0) io.out(`flags        ${d.flags.join(', ')}\n`);
}

export const docCommand: CliCommand = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || rest.includes('--help')) {
    io.out(HELP);
    return sub === undefined ? 64 : 0;
  }
  const unknown = rest.filter((a) => a !== '--json');
  if (sub !== 'parse' || unknown.length > 0) {
    io.err(`doc: unknown ${sub !== 'parse' ? `subcommand "${sub}"` : `option "${unknown[0] ?? ''}"`}\n${HELP}`);
    return 64;
  }
  const json = rest.includes('--json');
  const result = parseScan(await io.readStdin());
  if (!result.ok) {
    if (json) io.out(`${JSON.stringify({ ok: false, error: result.error }, null, 2)}\n`);
    io.err(`error: ${result.error.field}: ${result.error.code}: ${result.error.message.en}\n`);
    return 2;
  }
  if (json) io.out(`${JSON.stringify(view(result.document), null, 2)}\n`);
  else printText(io, result.document);
  return 0;
};
