import { CHAIN_BREAK_TEXT, type ChainBreak } from '../store/audit-chain';
import type { CliCommand } from './io';
import { KIOSK_FILE_OPTIONS, openKioskStore, resolveKioskFiles, parseKioskArgs, type KioskFileArgs } from './kiosk-files';

const USAGE = `Usage: npm run kiosk -- audit verify [--json] [--config FILE] [--data-dir DIR]

Checks the kiosk's audit chain (docs/audit-chain.md) from the first row to the last: every row's
hash covers the row before, so an edited, inserted or deleted row breaks every row after it.
Names the first row that does not fit and why. The chain cannot show rows cut off its end by
itself: compare the head it prints with the last head the centre recorded (each export and sync
carries it).

  --json            print one JSON object: {"ok":true,"length":…,"head":{"seq":…,"hash":…}}
                    or {"ok":false,"brokenAt":{"seq":…,"reason":…,"expectedSeq":…,"what":…},…}
${KIOSK_FILE_OPTIONS}

Exit codes: 0 the chain verifies, 1 it is broken (or the database cannot be read), 2 bad usage.
`;

export type AuditVerifyReport =
  | { readonly ok: true; readonly length: number; readonly head: { readonly seq: number; readonly hash: string } | null }
  | {
      readonly ok: false;
      readonly length: number;
      readonly brokenAt: { readonly seq: number; readonly reason: ChainBreak; readonly expectedSeq: number; readonly what: string };
      readonly head: { readonly seq: number; readonly hash: string } | null;
    };

type Parsed = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; json: boolean; files: KioskFileArgs };

/** The options after `audit verify` (commands.ts takes the two command words). */
function parse(rest: readonly string[]): Parsed {
  const a = parseKioskArgs(rest, { json: 'boolean' });
  return a.kind === 'ok' ? { kind: 'run', json: a.flags.json === true, files: a.files } : a;
}

export const auditVerifyCommand: CliCommand = async (argv, io) => {
  const parsed = parse(argv);
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`audit verify: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const files = resolveKioskFiles(parsed.files);
  if (!files.ok) {
    io.err(`audit verify: ${files.message}`);
    return 1;
  }
  const opened = await openKioskStore(files.dbFile);
  if (!opened.ok) {
    io.err(`audit verify: ${opened.message}`);
    return 1;
  }
  try {
    const check = await opened.store.verifyAuditChain();
    const tip = await opened.store.outbox.auditHead();
    const head = tip.seq === 0 ? null : tip;
    const report: AuditVerifyReport = check.ok
      ? { ok: true, length: check.length, head }
      : {
          ok: false,
          length: head?.seq ?? 0,
          brokenAt: { seq: check.brokenAt, reason: check.reason, expectedSeq: check.expectedSeq, what: CHAIN_BREAK_TEXT[check.reason] },
          head,
        };
    if (parsed.json) {
      io.out(JSON.stringify(report));
    } else if (report.ok) {
      io.out(`audit chain: ${report.length} row${report.length === 1 ? '' : 's'}, all verify.${report.head ? ` Head: seq ${report.head.seq}, hash ${report.head.hash}` : ''}`);
    } else {
      const gap = report.brokenAt.reason === 'seq-gap' && report.brokenAt.seq > report.brokenAt.expectedSeq ? ` (rows ${report.brokenAt.expectedSeq}–${report.brokenAt.seq - 1} are missing)` : '';
      io.out(`audit chain BROKEN at row seq ${report.brokenAt.seq}: ${report.brokenAt.what}${gap}. Rows before it verify; treat every row from it on as untrustworthy.`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await opened.store.close();
  }
};
