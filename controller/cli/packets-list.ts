import type { PacketListing } from '../store/outbox';
import type { CliCommand } from './io';
import { KIOSK_FILE_OPTIONS, openKioskStore, resolveKioskFiles, parseKioskArgs } from './kiosk-files';

const USAGE = `Usage: npm run kiosk -- packets list [--json] [--config FILE] [--data-dir DIR]

  Every enrollment packet on this kiosk and how far it has gone: metadata only. The packets
  are sealed to the centre's key; this kiosk cannot open them.

  --json            one JSON document: { packets: [...], summary: {...} }
${KIOSK_FILE_OPTIONS}

States:
  pending   on this kiosk, waiting to be sent (or refused by the centre: see the last error)
  sent      handed to the centre's receiver, but no acknowledgement has come back yet:
            the centre may not have it; it will be sent again
  acked     the centre's receiver acknowledged it with a signed receipt, checked here
            (over the network, or brought back on a stick: packets import-acks)
  (held: the sealed packet is still on this kiosk; after the retention period it is removed)

Exit codes: 0 ok, 1 no kiosk database there, 2 bad usage.
`;

export const packetsListCommand: CliCommand = async (argv, io) => {
  const a = parseKioskArgs(argv, { json: 'boolean' });
  if (a.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (a.kind === 'error') {
    io.err(`packets list: ${a.message}\n\n${USAGE}`);
    return 2;
  }
  const json = a.flags.json === true;
  const files = resolveKioskFiles(a.files);
  if (!files.ok) {
    io.err(`packets list: ${files.message}\n`);
    return 1;
  }
  // Opened as the other technician's tools open it: never created, never moved aside.
  const opened = await openKioskStore(files.dbFile);
  if (!opened.ok) {
    io.err(`packets list: ${opened.message}\n`);
    return 1;
  }
  const store = opened.store;
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
  const head = ['ID', 'CREATED', 'SIZE', 'STATE', 'TRIES', 'ACKED AT', 'VIA', 'HELD', 'LAST ERROR'];
  const rows = packets.map((p) => [
    p.id,
    minute(p.createdAt),
    kib(p.size),
    p.state,
    String(p.attempts),
    p.ackedAt === null ? '-' : minute(p.ackedAt),
    p.ackedVia ?? '-',
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
