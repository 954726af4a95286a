import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { PACKAGE_ROOT } from '../../../domain/package-root';
import { failFast } from '../../helpers/fail-fast';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';
import { waitFor, waitForValue } from '../../helpers/wait-for';

/**
 * The shipped Prometheus files (config/prometheus/) with Debian's own Prometheus: the rules pass
 * `promtool test rules`, the fleet config passes `promtool check config`, and a real Prometheus
 * scraping two real kiosks sees KioskDown fire for the one that stops (issue #14).
 */

const run = promisify(execFile);
const DIR = path.join(PACKAGE_ROOT, 'config', 'prometheus');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'prom-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the shipped rules and config', () => {
  it('pass promtool check and promtool test rules', async () => {
    const check = await run('promtool', ['check', 'rules', 'cccd-kiosk.rules.yml'], { cwd: DIR });
    expect(check.stdout).toMatch(/SUCCESS: 7 rules found/);
    const test = await run('promtool', ['test', 'rules', 'cccd-kiosk.rules.test.yml'], { cwd: DIR });
    expect(test.stdout).toMatch(/SUCCESS/);
  });

  it('the fleet scrape config is valid once its token file exists', async () => {
    const token = path.join(work, 'token');
    await writeFile(token, 'x'.repeat(44), { mode: 0o600 });
    const text = (await readFile(path.join(DIR, 'prometheus.yml'), 'utf8')).replace('/etc/prometheus/cccd-kiosk.token', token).replace('/etc/prometheus/cccd-kiosks/*.json', path.join(DIR, 'kiosks.example.json'));
    await writeFile(path.join(work, 'prometheus.yml'), text);
    await writeFile(path.join(work, 'cccd-kiosk.rules.yml'), await readFile(path.join(DIR, 'cccd-kiosk.rules.yml')));
    const check = await run('promtool', ['check', 'config', path.join(work, 'prometheus.yml')]);
    expect(check.stdout).toMatch(/SUCCESS/);
  });
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });

describe('a real Prometheus scraping two kiosks', () => {
  const kiosks: RunningKiosk[] = [];
  let central: TestCentral;
  let prom: ChildProcess | undefined;
  let promUrl: string;

  beforeAll(async () => {
    central = await makeTestCentral();
    for (const id of ['KIOSK-PROM-01', 'KIOSK-PROM-02']) {
      const dataDir = await mkdtemp(path.join(work, 'kiosk-'));
      const config = configSchema.parse({ kioskId: id, dataDir, sealing: { centralPublicKey: central.publicKeyPath }, server: { port: 0 }, simulation: { realisticTiming: false } });
      kiosks.push(await startKiosk({ config, log: pino({ level: 'warn' }), onFatal: failFast }));
    }
    // The shipped rules, with their `for` durations cut to nothing: the expressions are what this
    // test checks against live data (promtool's tests above check the durations).
    const rules = (await readFile(path.join(DIR, 'cccd-kiosk.rules.yml'), 'utf8')).replace(/^(\s+)for: \S+$/gm, '$1for: 0s');
    await writeFile(path.join(work, 'live.rules.yml'), rules);
    const targets = kiosks.map((k) => `127.0.0.1:${k.port}`);
    await writeFile(
      path.join(work, 'live.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'rule_files: [live.rules.yml]',
        'scrape_configs:',
        '  - job_name: cccd-kiosk',
        '    scrape_timeout: 900ms',
        `    static_configs: [{ targets: ${JSON.stringify(targets)} }]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = spawn('prometheus', ['--config.file', path.join(work, 'live.yml'), '--storage.tsdb.path', path.join(work, 'tsdb'), '--web.listen-address', `127.0.0.1:${port}`], { stdio: 'ignore' });
    await waitFor(async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok === true, { what: 'Prometheus to be ready', timeoutMs: 30_000, everyMs: 200 });
  }, 120_000);

  afterAll(async () => {
    prom?.kill('SIGTERM');
    for (const k of kiosks) await k.stop().catch(() => undefined);
    await central?.dispose();
  });

  const query = async (q: string) => {
    const body = z
      .object({ data: z.object({ result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })) }) })
      .parse(await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`)).json());
    return body.data.result;
  };
  const firing = async () => {
    const body = z
      .object({ data: z.object({ alerts: z.array(z.object({ labels: z.record(z.string(), z.string()), state: z.string() })) }) })
      .parse(await (await fetch(`${promUrl}/api/v1/alerts`)).json());
    return body.data.alerts.filter((a) => a.state === 'firing');
  };

  it('scrapes both, then fires KioskDown for the one that stops, and only for it', async () => {
    const [a, b] = kiosks;
    if (!a || !b) throw new Error('two kiosks expected');
    // Both scraped, with the kiosks' own metrics (their ids in cccd_kiosk_info).
    const ids = await waitForValue(
      async () => {
        const r = await query('cccd_kiosk_info');
        return r.length === 2 ? r.map((x) => x.metric.kiosk_id).sort() : undefined;
      },
      { what: 'both kiosks scraped', timeoutMs: 30_000, everyMs: 250 },
    );
    expect(ids).toEqual(['KIOSK-PROM-01', 'KIOSK-PROM-02']);
    // Once their simulated devices are up, both serve, and nothing fires.
    await waitFor(async () => (await query('cccd_up == 1')).length === 2, { what: 'both kiosks serving', timeoutMs: 30_000, everyMs: 250 });
    await waitFor(async () => (await firing()).length === 0, { what: 'no alert firing while both serve', timeoutMs: 10_000, everyMs: 250 });
    await a.stop();
    kiosks.splice(kiosks.indexOf(a), 1);
    const down = await waitForValue(
      async () => {
        const alerts = (await firing()).filter((x) => x.labels.alertname === 'KioskDown');
        return alerts.length > 0 ? alerts : undefined;
      },
      { what: 'KioskDown to fire', timeoutMs: 30_000, everyMs: 250 },
    );
    expect(down.map((x) => x.labels.instance)).toEqual([`127.0.0.1:${a.port}`]);
    expect(down[0]?.labels.severity).toBe('page');
  }, 90_000);
});
