import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { simRequests, type SimControls, type SimDevice } from '../devices/sim-controls';

/**
 * POST /api/sim/<device>: what the simulated citizen does at the devices (hold a card to the
 * scanner, put a smudged finger on the glass, step out of the picture) and how the simulators
 * misbehave. Exists only when a device runs on its simulator, and only on loopback: it is how
 * the e2e test and `kiosk simulate` play the person in front of the kiosk.
 */

const isSimDevice = (s: string): s is SimDevice => s in simRequests;

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > limit) return undefined;
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function simApiHandler(controls: SimControls) {
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET' && new URL(req.url ?? '/', 'http://kiosk').pathname === '/api/sim/printer/receipt.png') {
      const png = await controls.receiptPng?.();
      if (!png) return reply(res, 404, { error: 'the simulated printer has printed nothing yet' });
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
      res.end(Buffer.from(png));
      return;
    }
    if (req.method !== 'POST') return reply(res, 405, { error: 'POST a JSON body' });
    const device = new URL(req.url ?? '/', 'http://kiosk').pathname.replace(/^\/api\/sim\//, '');
    if (!isSimDevice(device)) return reply(res, 404, { error: `no simulator called "${device}"; one of ${Object.keys(simRequests).join(', ')}` });
    const text = await readBody(req);
    if (text === undefined) return reply(res, 413, { error: 'body too large' });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return reply(res, 400, { error: 'body is not JSON' });
    }
    const result = await dispatch(controls, device, json);
    reply(res, result.status, result.body);
  };
}

type Reply = { status: number; body: unknown };

async function handle<T>(device: SimDevice, schema: z.ZodType<T>, handler: ((req: T) => Promise<void>) | undefined, json: unknown): Promise<Reply> {
  const p = schema.safeParse(json);
  if (!p.success) return { status: 400, body: { error: p.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') } };
  if (!handler) return { status: 409, body: { error: `the ${device} device is not running on its simulator` } };
  await handler(p.data);
  return { status: 200, body: { ok: true } };
}

function dispatch(c: SimControls, device: SimDevice, json: unknown): Promise<Reply> {
  switch (device) {
    case 'document':
      return handle(device, simRequests.document, c.document, json);
    case 'fingerprint':
      return handle(device, simRequests.fingerprint, c.fingerprint, json);
    case 'camera':
      return handle(device, simRequests.camera, c.camera, json);
    case 'printer':
      return handle(device, simRequests.printer, c.printer, json);
    case 'timing':
      return handle(device, simRequests.timing, c.timing, json);
    case 'panel':
      return handle(device, simRequests.panel, c.panel, json);
  }
}
