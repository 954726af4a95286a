import { createHash } from 'node:crypto';
import { keyIdOf, loadCentralPublicKey } from '../packet/keys';
import { readSealHeader } from '../packet/seal';
import type { Store } from '../store/store';
import type { CliCommand } from './io';
import { KIOSK_FILE_OPTIONS, openKioskStore, resolveKioskFiles, parseKioskArgs, type KioskFileArgs } from './kiosk-files';

const USAGE = `Usage: npm run kiosk -- packets verify [--json] [--config FILE] [--data-dir DIR]

Checks the kiosk's stored packets from their metadata and sealed bytes only (the kiosk cannot
decrypt them): each held packet's SHA-256 and size match what was recorded at commit, its header
is a sealed packet's (magic, format, HPKE suite) and it is sealed to the centre key in this
kiosk's config (sealing.centralPublicKey); a packet whose bytes are gone was acknowledged first;
and SQLite's quick_check finds the database sound. Prints record ids, never a citizen's data.

  --json            print one JSON object
${KIOSK_FILE_OPTIONS}

Exit codes: 0 all sound, 1 a problem found (each is listed), 2 bad usage.
`;

export type PacketProblem =
  /** The sealed bytes do not hash to what was recorded at commit: changed on disk. */
  | 'hash-mismatch'
  | 'size-mismatch'
  /** Not a sealed packet's header (magic, format, suite), as open would say it. */
  | 'bad-header'
  /** Sealed to another centre key than the one configured (a rotated key, a wrong config). */
  | 'other-recipient'
  /** The bytes are gone, yet no ack was received for it. */
  | 'missing-bytes'
  /** An enrollment without its outbox row. */
  | 'no-outbox-row';

export interface VerifyReport {
  readonly ok: boolean;
  readonly packets: number;
  /** Held and not yet acknowledged. */
  readonly pending: number;
  /** Acknowledged, bytes still held (until the retention period ends). */
  readonly ackedHeld: number;
  /** Acknowledged and purged. */
  readonly purged: number;
  readonly bytes: number;
  readonly centralKeyId: string;
  readonly problems: readonly { readonly recordId: string; readonly problem: PacketProblem; readonly detail: string }[];
  /** quick_check's findings; [] when sound. */
  readonly database: readonly string[];
}

export async function verifyPackets(store: Store, centralKeyId: string): Promise<VerifyReport> {
  const problems: { recordId: string; problem: PacketProblem; detail: string }[] = [];
  let pending = 0;
  let ackedHeld = 0;
  let purged = 0;
  let bytes = 0;
  const rows = await store.listPackets();
  for (const row of rows) {
    if (row.state === null) problems.push({ recordId: row.id, problem: 'no-outbox-row', detail: 'the enrollment has no outbox row' });
    if (!row.held) {
      if (row.state === 'acked') purged++;
      else problems.push({ recordId: row.id, problem: 'missing-bytes', detail: `its sealed bytes are gone, but its outbox state is ${row.state ?? 'missing'}, not acked` });
      continue;
    }
    if (row.state === 'acked') ackedHeld++;
    else pending++;
    const sealed = await store.readSealedPacket(row.id);
    if (!sealed) {
      problems.push({ recordId: row.id, problem: 'missing-bytes', detail: 'its sealed bytes vanished while checking' });
      continue;
    }
    bytes += sealed.length;
    if (sealed.length !== row.size) problems.push({ recordId: row.id, problem: 'size-mismatch', detail: `${sealed.length} bytes, ${row.size} recorded` });
    const sha = createHash('sha256').update(sealed).digest('hex');
    if (sha !== row.sha256) problems.push({ recordId: row.id, problem: 'hash-mismatch', detail: `SHA-256 ${sha.slice(0, 16)}…, ${row.sha256.slice(0, 16)}… recorded` });
    const header = readSealHeader(sealed);
    if (!header.ok) problems.push({ recordId: row.id, problem: 'bad-header', detail: header.error });
    else if (header.recipientKeyId !== centralKeyId) {
      problems.push({ recordId: row.id, problem: 'other-recipient', detail: `sealed to centre key ${header.recipientKeyId}, the config names ${centralKeyId}` });
    }
  }
  const database = await store.quickCheck();
  return { ok: problems.length === 0 && database.length === 0, packets: rows.length, pending, ackedHeld, purged, bytes, centralKeyId, problems, database };
}

type Parsed = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; json: boolean; files: KioskFileArgs };

function parse(argv: readonly string[]): Parsed {
  const a = parseKioskArgs(argv, { json: 'boolean' });
  return a.kind === 'ok' ? { kind: 'run', json: a.flags.json === true, files: a.files } : a;
}

export const packetsVerifyCommand: CliCommand = async (argv, io) => {
  const parsed = parse(argv);
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`packets verify: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const files = resolveKioskFiles(parsed.files);
  if (!files.ok) {
    io.err(`packets verify: ${files.message}`);
    return 1;
  }
  if (!files.config.sealing.centralPublicKey) {
    io.err("packets verify: the config names no sealing.centralPublicKey, so there is no centre key to check the packets' recipient against");
    return 1;
  }
  let centralKeyId: string;
  try {
    centralKeyId = keyIdOf(await loadCentralPublicKey(files.config.sealing.centralPublicKey));
  } catch (err) {
    io.err(`packets verify: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const opened = await openKioskStore(files.dbFile);
  if (!opened.ok) {
    io.err(`packets verify: ${opened.message}`);
    return 1;
  }
  try {
    const r = await verifyPackets(opened.store, centralKeyId);
    if (parsed.json) {
      io.out(JSON.stringify(r));
    } else {
      for (const p of r.problems) io.out(`${p.recordId}: ${p.problem}: ${p.detail}`);
      if (r.database.length > 0) io.out(`database: quick_check found: ${r.database.join('; ')}`);
      io.out(
        `${r.packets} packet${r.packets === 1 ? '' : 's'}: ${r.pending} pending, ${r.ackedHeld} acknowledged and still held, ${r.purged} purged; ` +
          `${(r.bytes / 1e6).toFixed(1)} MB sealed, to centre key ${r.centralKeyId}. ` +
          (r.ok ? 'All sound.' : `${r.problems.length + (r.database.length > 0 ? 1 : 0)} problem(s).`),
      );
    }
    return r.ok ? 0 : 1;
  } finally {
    await opened.store.close();
  }
};
