import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../controller/cli/commands';
import type { CliIO } from '../../../../controller/cli/io';
import { openStore } from '../../../../controller/store/store';

/** `npm run kiosk -- packets list [--json]`: what has been sent, in true words, metadata only. */

function capture(): CliIO & { readonly outText: () => string; readonly errText: () => string } {
  let out = '';
  let err = '';
  return { readStdin: async () => '', out: (t) => void (out += t), err: (t) => void (err += t), outText: () => out, errText: () => err };
}

let dir: string;
const ids = { pending: randomUUID(), sent: randomUUID(), acked: randomUUID(), purged: randomUUID() };
const sealed = new Map<string, Buffer>();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-packets-'));
  let clock = new Date('2025-03-14T08:00:00.000Z');
  const store = await openStore(join(dir, 'kiosk.db'), { now: () => clock });
  try {
    for (const [i, id] of Object.values(ids).entries()) {
      clock = new Date(Date.parse('2025-03-14T08:00:00.000Z') + i * 60_000);
      // The sealed bytes carry a recognisable marker: the listing must never show them.
      const bytes = Buffer.concat([Buffer.from('SEALED-BYTES-MARKER'), randomBytes(1000)]);
      sealed.set(id, bytes);
      await store.commitEnrollment({ id, trackingCode: `TRACK-${i}`, sealed: bytes, auditDetail: { i } });
    }
    const at = new Date('2025-03-14T09:00:00.000Z');
    await store.outbox.beginAttempt(ids.pending, at);
    await store.outbox.attemptFailed(ids.pending, { at, error: 'cannot reach central.example.vn:8443: ECONNREFUSED', uploaded: false, nextAttemptAt: at });
    await store.outbox.beginAttempt(ids.sent, at);
    await store.outbox.attemptFailed(ids.sent, { at, error: 'the reply was cut', uploaded: true, nextAttemptAt: at });
    for (const [id, storedAt] of [[ids.acked, '2025-03-14T09:30:00.000Z'], [ids.purged, '2025-03-14T09:00:02.000Z']] as const) {
      const sha = createHash('sha256').update(sealed.get(id) ?? Buffer.alloc(0)).digest('hex');
      await store.outbox.recordAck(
        id,
        { packetSha256: sha, receivedAt: '2025-03-14T09:00:01.000Z', receiverKeyId: '0123456789abcdef', ackJson: '{}', signature: 'c2ln', via: 'network', receiverHeadSeq: 4 },
        new Date(storedAt),
      );
    }
    // Retention passed for the packet acked at 09:00:02, not for the one acked at 09:30.
    await store.outbox.purgeAcked(new Date('2025-03-14T09:00:02.000Z'), new Date('2025-03-17T09:00:00.000Z'));
  } finally {
    await store.close();
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('packets list', () => {
  it('--json gives each packet with its state, attempts, last error and ack time, and no byte of it', async () => {
    const io = capture();
    expect(await runCli(['packets', 'list', '--data-dir', dir, '--json'], io)).toBe(0);
    const parsed: unknown = JSON.parse(io.outText());
    expect(parsed).toMatchObject({
      packets: [
        { id: ids.pending, state: 'pending', attempts: 1, lastError: 'cannot reach central.example.vn:8443: ECONNREFUSED', ackedAt: null, held: true, createdAt: '2025-03-14T08:00:00.000Z' },
        { id: ids.sent, state: 'sent', attempts: 1, lastError: 'the reply was cut', ackedAt: null, held: true },
        { id: ids.acked, state: 'acked', ackedAt: '2025-03-14T09:30:00.000Z', receivedAt: '2025-03-14T09:00:01.000Z', held: true, purgedAt: null },
        { id: ids.purged, state: 'acked', held: false, purgedAt: '2025-03-17T09:00:00.000Z' },
      ],
      summary: { pending: 1, sent: 1, acked: 2, purged: 1 },
    });
    expect(io.outText()).not.toContain('SEALED-BYTES-MARKER');
    expect(io.outText()).not.toContain('TRACK-');
  });

  it('prints a table that says what each state means, and that this kiosk cannot open the packets', async () => {
    const io = capture();
    expect(await runCli(['packets', 'list', '--data-dir', dir], io)).toBe(0);
    const text = io.outText();
    expect(text).toMatch(/cannot open/);
    for (const id of Object.values(ids)) expect(text).toContain(id);
    expect(text).toMatch(/1 waiting to be sent/);
    expect(text).toMatch(/1 sent, not yet acknowledged/);
    expect(text).toMatch(/2 acknowledged by the centre/);
    expect(text).toMatch(/1 of them removed from this kiosk/);
    expect(text).not.toContain('SEALED-BYTES-MARKER');
  });

  it('says so, and creates nothing, when the data directory holds no kiosk database', async () => {
    const empty = join(dir, 'nothing-here');
    const io = capture();
    expect(await runCli(['packets', 'list', '--data-dir', empty], io)).toBe(1);
    expect(io.errText()).toMatch(/no kiosk database/);
    await expect(access(empty)).rejects.toThrow(/ENOENT/);
  });

  it('refuses an unknown option with exit 2 and the usage', async () => {
    const io = capture();
    expect(await runCli(['packets', 'list', '--frobnicate'], io)).toBe(2);
    expect(io.errText()).toMatch(/Usage: npm run kiosk -- packets list/);
  });
});
