import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKioskMetrics, type MetricsSources } from '../../../../controller/ops/metrics';
import { metricsRefusal } from '../../../../controller/server/http';
import type { DeviceKind, DeviceState } from '../../../../domain/devices';
import { parsePromText, sampleValue } from '../../../helpers/prom-text';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function sources(over: Partial<MetricsSources> = {}) {
  const state = {
    devices: { fingerprint: 'ready', document: 'ready', camera: 'fault', printer: 'ready' } as Partial<Record<DeviceKind, DeviceState>>,
    pending: 3,
    oldest: 5_400,
    failures: 2,
    serving: false,
    helpWaiting: 0,
  };
  const s: MetricsSources = {
    devices: () => state.devices,
    outbox: async () => ({ pending: state.pending, oldestPendingAgeS: state.oldest }),
    sync: () => ({ consecutiveFailures: 1, failuresThisRun: state.failures, lastSuccessAt: '2026-11-30T06:00:00.000Z' }),
    diskFreeBytes: () => 1_234_567_890,
    canServe: () => state.serving,
    helpWaitingSeconds: () => state.helpWaiting,
    ...over,
  };
  return { s, state };
}

describe('the kiosk metrics', () => {
  it('counts sessions, steps, fingers, photos and help from events, and reads the gauges at scrape time', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'thermal-'));
    dirs.push(dir);
    const zone = path.join(dir, 'temp');
    await writeFile(zone, '61234\n');
    const { s, state } = sources({ thermalZone: zone });
    const m = createKioskMetrics(s, { kioskId: 'KIOSK-A-01', version: '9.9.9' });
    m.session({ kind: 'step', step: 'fingerprints', seconds: 75 });
    m.session({ kind: 'completed', seconds: 170 });
    m.session({ kind: 'abandoned', step: 'face', seconds: 200 });
    m.session({ kind: 'abandoned', step: 'face', seconds: 100 });
    m.session({ kind: 'finger-captured', score: 35, attempts: 3, belowThreshold: true });
    m.session({ kind: 'finger-exception' });
    m.session({ kind: 'face-photo', failed: ['eyes-open', 'background'] });
    m.session({ kind: 'face-photo', failed: ['eyes-open'] });
    m.session({ kind: 'help-answered', seconds: 95 });
    m.helpRequested('panel');
    m.tamper();
    let samples = parsePromText(await m.render());
    expect(sampleValue(samples, 'cccd_kiosk_info', { kiosk_id: 'KIOSK-A-01', version: '9.9.9' })).toBe(1);
    expect(sampleValue(samples, 'cccd_up')).toBe(0);
    expect(sampleValue(samples, 'cccd_enrollments_completed_total')).toBe(1);
    expect(sampleValue(samples, 'cccd_enrollments_abandoned_total', { step: 'face' })).toBe(2);
    expect(sampleValue(samples, 'cccd_step_duration_seconds_count', { step: 'fingerprints' })).toBe(1);
    expect(sampleValue(samples, 'cccd_step_duration_seconds_sum', { step: 'fingerprints' })).toBe(75);
    expect(sampleValue(samples, 'cccd_step_duration_seconds_bucket', { step: 'fingerprints', le: '60' })).toBe(0);
    expect(sampleValue(samples, 'cccd_step_duration_seconds_bucket', { step: 'fingerprints', le: '90' })).toBe(1);
    expect(sampleValue(samples, 'cccd_session_duration_seconds_count', { outcome: 'abandoned' })).toBe(2);
    expect(sampleValue(samples, 'cccd_fingerprint_quality_sum')).toBe(35);
    expect(sampleValue(samples, 'cccd_fingerprint_attempts_sum')).toBe(3);
    expect(sampleValue(samples, 'cccd_fingerprint_below_threshold_total')).toBe(1);
    expect(sampleValue(samples, 'cccd_fingerprint_exceptions_total')).toBe(1);
    expect(sampleValue(samples, 'cccd_face_photos_total')).toBe(2);
    expect(sampleValue(samples, 'cccd_face_check_failures_total', { check: 'eyes-open' })).toBe(2);
    expect(sampleValue(samples, 'cccd_face_check_failures_total', { check: 'background' })).toBe(1);
    expect(sampleValue(samples, 'cccd_help_requests_total', { source: 'panel' })).toBe(1);
    expect(sampleValue(samples, 'cccd_help_answer_seconds_sum')).toBe(95);
    expect(sampleValue(samples, 'cccd_tamper_events_total')).toBe(1);
    expect(sampleValue(samples, 'cccd_device_state', { device: 'camera', state: 'fault' })).toBe(1);
    expect(sampleValue(samples, 'cccd_device_state', { device: 'camera', state: 'ready' })).toBe(0);
    expect(sampleValue(samples, 'cccd_outbox_pending')).toBe(3);
    expect(sampleValue(samples, 'cccd_outbox_oldest_pending_age_seconds')).toBe(5_400);
    expect(sampleValue(samples, 'cccd_sync_errors_total')).toBe(2);
    expect(sampleValue(samples, 'cccd_sync_last_success_timestamp_seconds')).toBe(Date.parse('2026-11-30T06:00:00.000Z') / 1000);
    expect(sampleValue(samples, 'cccd_disk_free_bytes')).toBe(1_234_567_890);
    expect(sampleValue(samples, 'cccd_cpu_temperature_celsius')).toBeCloseTo(61.234, 3);
    // Process metrics, under their standard names.
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toEqual(expect.any(Number));
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // Gauges follow their owners.
    state.devices = { ...state.devices, camera: 'ready' };
    state.pending = 0;
    state.oldest = 0;
    state.failures = 5;
    state.serving = true;
    state.helpWaiting = 130;
    samples = parsePromText(await m.render());
    expect(sampleValue(samples, 'cccd_up')).toBe(1);
    expect(sampleValue(samples, 'cccd_device_state', { device: 'camera', state: 'ready' })).toBe(1);
    expect(sampleValue(samples, 'cccd_outbox_pending')).toBe(0);
    expect(sampleValue(samples, 'cccd_sync_errors_total')).toBe(5);
    expect(sampleValue(samples, 'cccd_help_waiting_seconds')).toBe(130);
  });

  it('counts a device back to ready after a fault as a reconnect, and not its first connection', async () => {
    const m = createKioskMetrics(sources().s, { kioskId: 'K-1', version: '1' });
    m.deviceChanged('scanner' as DeviceKind, undefined, 'connecting');
    m.deviceChanged('fingerprint', undefined, 'connecting');
    m.deviceChanged('fingerprint', 'connecting', 'ready');
    m.deviceChanged('fingerprint', 'ready', 'busy');
    m.deviceChanged('fingerprint', 'busy', 'disconnected');
    m.deviceChanged('fingerprint', 'disconnected', 'connecting');
    m.deviceChanged('fingerprint', 'connecting', 'ready');
    m.deviceChanged('camera', 'ready', 'fault');
    const samples = parsePromText(await m.render());
    expect(sampleValue(samples, 'cccd_device_faults_total', { device: 'fingerprint' })).toBe(1);
    expect(sampleValue(samples, 'cccd_device_reconnects_total', { device: 'fingerprint' })).toBe(1);
    expect(sampleValue(samples, 'cccd_device_faults_total', { device: 'camera' })).toBe(1);
    expect(sampleValue(samples, 'cccd_device_reconnects_total', { device: 'camera' })).toBeUndefined();
  });

  it('two kiosks in one process count apart (no global registry)', async () => {
    const a = createKioskMetrics(sources().s, { kioskId: 'K-A', version: '1' });
    const b = createKioskMetrics(sources().s, { kioskId: 'K-B', version: '1' });
    a.session({ kind: 'completed', seconds: 100 });
    expect(sampleValue(parsePromText(await a.render()), 'cccd_enrollments_completed_total')).toBe(1);
    expect(sampleValue(parsePromText(await b.render()), 'cccd_enrollments_completed_total')).toBe(0);
  });
});

describe('who may read /metrics', () => {
  const token = 'x'.repeat(40);
  it('this machine, always', () => {
    for (const from of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(metricsRefusal(from, undefined, undefined)).toBeUndefined();
  });
  it('another machine only with the token, and not at all without one configured', () => {
    expect(metricsRefusal('10.0.0.7', undefined, undefined)).toMatchObject({ status: 403, error: expect.stringMatching(/ops\.token/) });
    expect(metricsRefusal('10.0.0.7', undefined, token)).toMatchObject({ status: 401 });
    expect(metricsRefusal('10.0.0.7', `Bearer ${token}x`, token)).toMatchObject({ status: 401 });
    expect(metricsRefusal('10.0.0.7', `Basic ${token}`, token)).toMatchObject({ status: 401 });
    expect(metricsRefusal('127.0.0.2', undefined, token)).toMatchObject({ status: 401 });
    expect(metricsRefusal('10.0.0.7', `Bearer ${token}`, token)).toBeUndefined();
  });
});
