import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimulatedScanner, type SimulatedScanner } from '../../../../drivers/document/serial/simulated';
import { silentLog } from '../../../../drivers/log';
import type { InvitationOutcome } from '../../../../controller/enrollment/context';
import { createInvitationWatch } from '../../../../controller/services/invitation';
import { openStore, type JsonValue, type Store } from '../../../../controller/store/store';
import { QR_VALID } from '../../../fixtures/documents/samples';
import { INVITED, makeTestStation } from '../../../helpers/invitations';
import { waitFor } from '../../../helpers/wait-for';

/**
 * The start screen's ear on the scanner: the real scanner driver on its simulator, a real store
 * (used invitations are remembered in it), the audit entries it writes.
 */

const station = makeTestStation();
const TODAY = new Date('2026-11-30T03:00:00Z');

let dir: string;
let store: Store;
let s: SimulatedScanner;
let stop: (() => void) | undefined;
const audits: Array<{ kind: string; detail: JsonValue }> = [];
const reports: InvitationOutcome[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'invitation-watch-'));
  store = await openStore(path.join(dir, 'kiosk.db'));
  s = createSimulatedScanner({ log: silentLog });
  await s.scanner.open();
  audits.length = 0;
  reports.length = 0;
  const watch = createInvitationWatch(s.scanner, {
    trusted: station.trusted,
    used: (id) => store.invitationUsed(id),
    audit: (kind, detail) => audits.push({ kind, detail }),
    log: pino({ level: 'silent' }),
    now: () => TODAY,
    retryMs: 20,
  });
  stop = watch({ waitMs: 60_000 }, (o) => reports.push(o));
});

afterEach(async () => {
  stop?.();
  await s.scanner.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const next = async (count: number) => {
  await waitFor(() => reports.length >= count, { what: `report ${count}` });
  return reports[count - 1];
};

describe('the start screen listening for invitations', () => {
  it('reports a valid invitation with the scan time, and audits it by its id only', async () => {
    // Listening is not keeping anyone waiting: /healthz and the service screen see it ready.
    expect(s.scanner.status().state).toBe('ready');
    await s.sim.present(station.make());
    expect(await next(1)).toEqual({ kind: 'accepted', invitation: INVITED, at: TODAY.getTime() });
    expect(audits).toEqual([{ kind: 'invitation', detail: { outcome: 'accepted', invitationId: INVITED.id, case: 'expired', priority: 'elderly' } }]);
    expect(JSON.stringify(audits)).not.toContain(INVITED.idNumber);
  });

  it('refuses an invitation already used for a committed application, and one expired, forged or unknown, each with its reason', async () => {
    await store.commitEnrollment({ id: 'e1', trackingCode: 'TC1', sealed: Uint8Array.of(1, 2, 3), auditDetail: {}, invitationId: INVITED.id });
    await s.sim.present(station.make());
    expect(await next(1)).toEqual({ kind: 'refused', reason: 'used' });
    await s.sim.present(station.make({ id: 'GM-OLD', validUntil: '2026-11-29', validFrom: '2026-10-01' }));
    expect(await next(2)).toEqual({ kind: 'refused', reason: 'expired' });
    await s.sim.present(station.make({ id: 'GM-LATER', validFrom: '2026-12-01' }));
    expect(await next(3)).toEqual({ kind: 'refused', reason: 'not-yet-valid' });
    await s.sim.present(station.make({ id: 'GM-3' }).replace('079150001234', '079150001235'));
    expect(await next(4)).toEqual({ kind: 'refused', reason: 'forged' });
    await s.sim.present(makeTestStation().make({ id: 'GM-4' }));
    expect(await next(5)).toEqual({ kind: 'refused', reason: 'unknown-key' });
    expect(audits.map((a) => a.detail)).toEqual([
      { outcome: 'refused', reason: 'used', invitationId: INVITED.id },
      { outcome: 'refused', reason: 'expired', invitationId: 'GM-OLD' },
      { outcome: 'refused', reason: 'not-yet-valid', invitationId: 'GM-LATER' },
      { outcome: 'refused', reason: 'forged', invitationId: 'GM-3' },
      { outcome: 'refused', reason: 'unknown-key', invitationId: 'GM-4' },
    ]);
  });

  it('leaves a card held up on the start screen alone, and keeps listening', async () => {
    await s.sim.present(QR_VALID);
    await s.sim.present(station.make());
    expect(await next(1)).toMatchObject({ kind: 'accepted' });
    expect(reports).toHaveLength(1);
  });

  it('stops reading the scanner when the start screen is left', async () => {
    stop?.();
    stop = undefined;
    await s.sim.present(station.make());
    // The scan waits in the driver for whoever reads next (the document step).
    const r = await s.scanner.read({ waitMs: 2000 });
    expect(r).toMatchObject({ kind: 'text' });
    expect(reports).toEqual([]);
  });
});
