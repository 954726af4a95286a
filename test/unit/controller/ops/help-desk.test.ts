import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createKioskRuntime } from '../../../../controller/enrollment/runtime';
import type { StaffAlert } from '../../../../controller/ops/alerts';
import { wireHelpDesk } from '../../../../controller/ops/help-desk';
import { openStore, type Store } from '../../../../controller/store/store';
import { TEST_FLOW, createFakeMachine, emptyScript, settle } from '../../../helpers/enrollment-harness';
import { failFast } from '../../../helpers/fail-fast';
import { waitForValue } from '../../../helpers/wait-for';

/** A help request, from the screen or the panel, reaches staff: alert, log, audit chain. */

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function start() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-help-'));
  const store: Store = await openStore(path.join(dir, 'kiosk.db'));
  cleanup.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
  cleanup.push(async () => runtime.stop());
  runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
  const alerts: StaffAlert[] = [];
  const logged: unknown[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const off = wireHelpDesk(runtime, { store, log, raise: (a) => alerts.push(a), now: () => new Date('2025-03-14T02:41:00Z') });
  cleanup.push(async () => off());
  return { runtime, store, alerts, logged };
}

describe('the help desk', () => {
  it('turns a help request on the screen into a staff alert, a log warning and an audit entry, with nothing about who', async () => {
    const k = await start();
    k.runtime.send({ type: 'START' });
    k.runtime.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    k.runtime.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await settle(() => JSON.stringify(k.runtime.view()));
    expect(k.runtime.view().screen.name).toBe('document-confirm');
    k.runtime.send({ type: 'HELP' });
    expect(k.alerts).toEqual([{ at: '2025-03-14T02:41:00.000Z', device: 'screen', status: 'help' }]);
    expect(k.logged).toContainEqual(expect.objectContaining({ alert: 'help', source: 'screen', screen: 'document-confirm' }));
    const entries = await waitForValue(async () => {
      const e = await k.store.recentAudit({ kind: 'help-requested' });
      return e.length > 0 ? e : undefined;
    }, { what: 'the audit entry' });
    expect(entries.map((e) => e.detail)).toEqual([{ source: 'screen', inSession: true, screen: 'document-confirm' }]);
    // Nothing of the citizen: the card they scanned is on screen, its number and name are not in the trail.
    const written = JSON.stringify([k.alerts, k.logged, entries]);
    expect(written).not.toContain('079203001234');
    expect(written).not.toContain('Nguyễn');
    expect(await k.store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it('does the same for the panel’s button on the start screen, saying where it was pressed', async () => {
    const k = await start();
    expect(k.runtime.send({ type: 'HELP' }, { source: 'panel' })).toEqual({ ok: true });
    expect(k.alerts).toEqual([{ at: '2025-03-14T02:41:00.000Z', device: 'panel', status: 'help' }]);
    const entries = await waitForValue(async () => {
      const e = await k.store.recentAudit({ kind: 'help-requested' });
      return e.length > 0 ? e : undefined;
    }, { what: 'the audit entry' });
    expect(entries.map((e) => e.detail)).toEqual([{ source: 'panel', inSession: false, screen: 'attract' }]);
  });
});
