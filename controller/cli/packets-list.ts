import { access } from 'node:fs/promises';
import path from 'node:path';
import type { PacketListing } from '../store/outbox';
import { openStore } from '../store/store';
import type { CliCommand } from './io';

const USAGE = `Usage: npm run kiosk -- packets list [--data-dir DIR] [--json]

  Every enrollment packet on this kiosk and how far it has gone: metadata only. The packets
  are sealed to the centre's key; this kiosk cannot open them.

  --data-dir DIR   the kiosk's data directory (env KIOSK_DATA_DIR; default ./data)
  --json           one JSON document: { packets: [...], summary: {...} }

States:
  pending   on this kiosk, waiting to be sent (or refused by the centre: see the last error)
  sent      handed to the centre's receiver, but no acknowledgement has come back yet:
            the centre may not have it; it will be sent again
  acked     the centre's receiver acknowledged it with a signed receipt, checked here
  (held: the sealed packet is still on this kiosk; after the retention period it is removed)

Exit codes: 0 ok, 1 no kiosk database there, 2 bad usage.
`;

export const packetsListCommand: CliCommand = async (argv, io) => {
  let dataDir = process.env.KIOSK_DATA_DIR ?? './data';
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      io.out(USAGE);
      return 0;
    }
    if (arg === '--json') json = true;
    else if (arg === '--data-dir' && argv[i + 1] !== undefined) dataDir = argv[++i] ?? dataDir;
    else if (arg?.startsWith('--data-dir=')) dataDir = arg.slice('--data-dir='.length);
    else {
      io.err(`packets list: unexpected argument "${arg ?? ''}"\n\n${USAGE}`);
      return 2;
    }
  }
  const file = path.join(path.resolve(dataDir), 'kiosk.db');
  try {
    await access(file);
  } catch {
    io.err(`packets list: no kiosk database at ${file}. Is --data-dir the kiosk's data directory?\n`);
    return 1;
  }
  const store = await openStore(file);
  try {
    const packets = await store.outbox.list();
    const summary = await store.outbox.summary();
    if (json) {
      io.out(`${JSON.stringify({ packets, summary: { pending: summary.pending, sent: summary.sent, acked: summary.acked, purged: summary.purged, lastAckAt: summary.lastAckAt } }, null, 2)}\n`);
      return 0;
    }
    io.out(table(packets));
    io.out(
      `\n${packets.length} packet${packets.length === 1 ? '' : 's'}: ${summary.pending} waiting to be sent, ${summary.sent} sent, not yet acknowledged, ` +
        `${summary.acked} acknowledged by the centre (${summary.purged} of them removed from this kiosk after the retention period).\n` +
        'The packets are sealed to the centre: this kiosk cannot open them. Times are UTC.\n',
    );
    return 0;
  } finally {
    await store.close();
  }
};

function table(packets: readonly PacketListing[]): string {
  const head = ['ID', 'CREATED', 'SIZE', 'STATE', 'TRIES', 'ACKED AT', 'HELD', 'LAST ERROR'];
  const rows = packets.map((p) => [
    p.id,
    minute(p.createdAt),
    kib(p.size),
    p.state,
    String(p.attempts),
    p.ackedAt === null ? '-' : minute(p.ackedAt),
    p.held ? 'yes' : 'no',
    p.lastError ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

const minute = (iso: string): string => iso.replace('T', ' ').slice(0, 16);
const kib = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);
