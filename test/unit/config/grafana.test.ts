import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { createKioskMetrics } from '../../../controller/ops/metrics';
import { PACKAGE_ROOT } from '../../../domain/package-root';
import { parsePromText } from '../../helpers/prom-text';

/**
 * The shipped dashboard and alert rules ask only for metrics a kiosk exports: a renamed metric
 * would otherwise leave an empty graph or an alert that can never fire.
 */

const panel = z.object({ title: z.string(), targets: z.array(z.object({ expr: z.string() })).min(1) });
const dashboard = z.object({ title: z.string(), uid: z.string(), panels: z.array(panel).min(10) });

async function exported(): Promise<Set<string>> {
  const m = createKioskMetrics(
    { devices: () => ({ fingerprint: 'ready' }), outbox: async () => ({ pending: 0, oldestPendingAgeS: null }), sync: () => null, diskFreeBytes: () => 1, canServe: () => true, helpWaitingSeconds: () => 0, thermalZone: '/nonexistent' },
    { kioskId: 'K-1', version: '1' },
  );
  const names = new Set(parsePromText(await m.render()).map((s) => s.name));
  // Families with no sample yet (labelled counters before their first event) are still declared.
  for (const line of (await m.render()).split('\n')) if (line.startsWith('# TYPE ')) names.add(line.split(' ')[2] ?? '');
  // Histograms expose _bucket, _sum and _count; the temperature gauge is there where readable.
  for (const n of [...names]) for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${n}${suffix}`);
  names.add('cccd_cpu_temperature_celsius');
  return names;
}

const asked = (expr: string) => [...expr.matchAll(/\b((?:cccd|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1] ?? '');

it('every dashboard panel and every alert rule asks for metrics the kiosk exports', async () => {
  const names = await exported();
  const dash = dashboard.parse(JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'config', 'grafana', 'cccd-kiosk-fleet.json'), 'utf8')));
  const missing: string[] = [];
  for (const p of dash.panels) for (const t of p.targets) for (const n of asked(t.expr)) if (!names.has(n)) missing.push(`${p.title}: ${n}`);
  const rules = await readFile(path.join(PACKAGE_ROOT, 'config', 'prometheus', 'cccd-kiosk.rules.yml'), 'utf8');
  for (const line of rules.split('\n').filter((l) => l.trim().startsWith('expr:'))) for (const n of asked(line)) if (!names.has(n)) missing.push(`rule: ${n}`);
  expect(missing).toEqual([]);
  // The checker itself finds a name that is not there.
  expect(asked('rate(cccd_no_such_metric_total[5m])').every((n) => names.has(n))).toBe(false);
});
