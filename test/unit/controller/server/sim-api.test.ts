import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimControls } from '../../../../controller/devices/sim-controls';
import { simApiHandler } from '../../../../controller/server/sim-api';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(controls: SimControls): Promise<string> {
  const handler = simApiHandler(controls);
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const addr: AddressInfo | string | null | undefined = server?.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return `http://127.0.0.1:${port}`;
}

const post = (base: string, path: string, body: string) => fetch(`${base}${path}`, { method: 'POST', body });

describe('the simulator API', () => {
  it('passes a valid request to the simulator', async () => {
    const seen: unknown[] = [];
    const base = await serve({ document: async (r) => void seen.push(r) });
    const res = await post(base, '/api/sim/document', JSON.stringify({ present: '079203004567||Lê Hoàng Minh Khôi|03022003|Nam|Q3|20042021' }));
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ present: '079203004567||Lê Hoàng Minh Khôi|03022003|Nam|Q3|20042021' }]);
  });

  it('refuses a bad body with 400 and names what is wrong, without calling the simulator', async () => {
    let called = false;
    const base = await serve({ camera: async () => void (called = true) });
    const res = await post(base, '/api/sim/camera', JSON.stringify({ scenario: 'upside-down' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/scenario/);
    expect((await post(base, '/api/sim/camera', '{oops')).status).toBe(400);
    expect(called).toBe(false);
  });

  it('refuses a field it does not know, rather than dropping it and answering ok, and says what the device takes', async () => {
    const seen: unknown[] = [];
    const base = await serve({
      printer: async (r) => void seen.push(r),
      fingerprint: async (r) => void seen.push(r),
      panel: async (r) => void seen.push(r),
      document: async (r) => void seen.push(r),
    });
    for (const [device, body, takes] of [
      ['printer', { unplugg: true }, /"unplug": true/],
      ['printer', {}, /"paperOut"/],
      ['fingerprint', { unplg: true }, /unplg/],
      ['panel', { press: 'help' }, /"help-button"/],
      ['document', { present: 'x', extra: 1 }, /"present"/],
    ] as const) {
      const res = await post(base, `/api/sim/${device}`, JSON.stringify(body));
      expect({ device, body, status: res.status }).toEqual({ device, body, status: 400 });
      expect((await res.json()).error).toMatch(takes);
    }
    expect(seen).toEqual([]);
    expect((await post(base, '/api/sim/printer', JSON.stringify({ unplug: true }))).status).toBe(200);
    expect((await post(base, '/api/sim/printer', JSON.stringify({ replug: true }))).status).toBe(200);
    expect(seen).toEqual([{ unplug: true }, { replug: true }]);
  });

  it('answers 404 for an unknown device and 409 for a device that is not simulated', async () => {
    const base = await serve({});
    expect((await post(base, '/api/sim/toaster', '{}')).status).toBe(404);
    expect((await post(base, '/api/sim/printer', JSON.stringify({ paperOut: true }))).status).toBe(409);
  });

  it('serves the last simulated receipt as PNG, or 404 before anything was printed', async () => {
    let png: Uint8Array | undefined;
    const base = await serve({ receiptPng: async () => png });
    expect((await fetch(`${base}/api/sim/printer/receipt.png`)).status).toBe(404);
    png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const res = await fetch(`${base}/api/sim/printer/receipt.png`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png);
  });
});
