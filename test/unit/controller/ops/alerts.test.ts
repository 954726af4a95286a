import { describe, expect, it } from 'vitest';
import { healthAlert, type StaffAlert } from '../../../../controller/ops/alerts';

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
