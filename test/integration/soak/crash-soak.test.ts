import { expect, it } from 'vitest';
import { runCrashSoak } from '../../soak/crash-soak';

/**
 * The crash soak (test/soak/crash-soak.ts, issue #12) at 50 kill points: the real kiosk process,
 * simulated citizens at its screen channel, its outbox syncing to the reference receiver, SIGKILLed
 * at random moments and restarted. `npm run soak -- --kills N` runs more.
 */
it('50 SIGKILLs at random moments: every receipt a citizen saw is committed, the receiver holds each packet once, the database and audit chain stay whole', async () => {
  const report = await runCrashSoak({ kills: 50, seed: 2026 });
  expect(report.violations).toEqual([]);
  expect(report.kills).toBe(50);
  // Each kill window was hit, the lost-reply window included.
  for (const n of Object.values(report.byWindow)) expect(n).toBeGreaterThan(0);
  expect(report.killedAfterStore).toBeGreaterThan(0);
  // Citizens did finish between kills, and everything committed reached the receiver in the end.
  expect(report.receiptsSeen).toBeGreaterThanOrEqual(5);
  expect(report.committed).toBeGreaterThanOrEqual(report.receiptsSeen);
  expect(report.atReceiver).toBe(report.committed);
}, 900_000);
