import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { healthAlert, openAlertBook, type StaffAlert } from '../../../../controller/ops/alerts';
import { openStore } from '../../../../controller/store/store';

/** Issue #11: /healthz is not the citizen's screen, so nothing in it identifies a citizen. */
describe('a staff alert as /healthz shows it', () => {
  it('says when, which device and what is wrong, and nothing about whose receipt it was', () => {
    const printer: StaffAlert = { at: '2025-01-02T03:04:05.000Z', device: 'printer', status: 'paper-out', trackingCode: '7N6-DZ4-32B' };
    expect(healthAlert(printer)).toEqual({ at: '2025-01-02T03:04:05.000Z', device: 'printer', status: 'paper-out' });
    expect(JSON.stringify(healthAlert(printer))).not.toContain('7N6-DZ4-32B');
  });

  it('keeps the tamper alert as it is', () => {
    const tamper: StaffAlert = { at: '2025-01-02T03:04:05.000Z', device: 'panel', status: 'tamper' };
    expect(healthAlert(tamper)).toEqual(tamper);
  });
});

describe('staff alerts across a restart (issue #12)', () => {
  it('are read back from the kiosk database after it is closed and opened again, newest last, only what /healthz shows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-alerts-'));
    const log = pino({ level: 'silent' });
    try {
      const file = join(dir, 'kiosk.db');
      const first = await openStore(file);
      const book = await openAlertBook(first, log, 3);
      book.raise({ at: '2025-01-02T03:04:05.000Z', device: 'printer', status: 'paper-out', trackingCode: '7N6-DZ4-32B' });
      book.raise({ at: '2025-01-02T03:05:00.000Z', device: 'panel', status: 'tamper' });
      book.raise({ at: '2025-01-02T03:06:00.000Z', device: 'storage', status: 'low-space' });
      book.raise({ at: '2025-01-02T03:07:00.000Z', device: 'printer', status: 'cover-open', trackingCode: 'AAA-BBB-CCC' });
      await first.close(); // lets the queued saves finish
      const again = await openStore(file);
      const reopened = await openAlertBook(again, log, 3);
      expect(reopened.recent()).toEqual([
        { at: '2025-01-02T03:05:00.000Z', device: 'panel', status: 'tamper' },
        { at: '2025-01-02T03:06:00.000Z', device: 'storage', status: 'low-space' },
        { at: '2025-01-02T03:07:00.000Z', device: 'printer', status: 'cover-open' },
      ]);
      await again.close();
      // Nothing that leads to a citizen was written to the file.
      const bytes = await readFile(file);
      expect(bytes.includes(Buffer.from('7N6-DZ4-32B'))).toBe(false);
      expect(bytes.includes(Buffer.from('AAA-BBB-CCC'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps every kind of alert across the restart: help requests and a printer found not ready too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-alerts-'));
    const log = pino({ level: 'silent' });
    try {
      const file = join(dir, 'kiosk.db');
      const first = await openStore(file);
      const book = await openAlertBook(first, log);
      const raised = [
        { at: '2025-01-02T03:04:05.000Z', device: 'screen', status: 'help' },
        { at: '2025-01-02T03:05:00.000Z', device: 'panel', status: 'help' },
        { at: '2025-01-02T03:06:00.000Z', device: 'printer', status: 'not-ready' },
      ] as const;
      for (const a of raised) book.raise(a);
      await first.close();
      const again = await openStore(file);
      expect((await openAlertBook(again, log)).recent()).toEqual(raised);
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
