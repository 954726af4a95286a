import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { SIM_BODIES, simRequests, type SimControls, type SimDevice } from '../devices/sim-controls';
import { parseTarget } from './request-target';

/**
 * POST /api/sim/<device>: what the simulated citizen does at the devices (hold a card to the
 * scanner, put a smudged finger on the glass, step out of the picture) and how the simulators
 * misbehave. Exists only when a device runs on its simulator, and only for the kiosk's own
 * screen (screen-gate.ts): it is how the e2e test and `kiosk simulate` play the person in front
 * of the kiosk. Bad input gets a 4xx that says what is wrong (issue #11).
 */

// Own keys only: `"__proto__" in simRequests` is true, and so are constructor and toString.
const isSimDevice = (s: string): s is SimDevice => Object.hasOwn(simRequests, s);
const DEVICES = Object.keys(simRequests).join(', ');

/** Simulator requests are small; 64 kB is far more than the longest (a 4 kB scan). */
const BODY_LIMIT = 64 * 1024;

type Body = { kind: 'text'; text: string } | { kind: 'too-large' } | { kind: 'not-utf8' } | { kind: 'aborted' };

/**
 * Reads the whole body, keeping at most `limit` bytes: past that it goes on reading (and
 * dropping) so the client still gets the 413, rather than a connection cut mid-upload.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > limit) return resolve({ kind: 'too-large' });
      try {
        resolve({ kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) });
      } catch {
        resolve({ kind: 'not-utf8' });
      }
    });
    req.on('error', () => resolve({ kind: 'aborted' }));
  });
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(JSON.stringify(body));
}

export function simApiHandler(controls: SimControls) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = parseTarget(req.url);
    if (!target.ok) return reply(res, target.status, { error: target.error });
    if (req.method === 'GET' && target.path === '/api/sim/printer/receipt.png') {
      const png = await controls.receiptPng?.();
      if (!png) return reply(res, 404, { error: 'the simulated printer has printed nothing yet' });
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
      res.end(Buffer.from(png));
      return;
    }
    if (req.method !== 'POST') return reply(res, 405, { error: 'POST a JSON body' }, { allow: 'POST' });
    const device = target.path.replace(/^\/api\/sim\//, '');
    if (!isSimDevice(device)) return reply(res, 404, { error: `no simulator called ${JSON.stringify(device)}; one of ${DEVICES}` });
    // A declared length far over the limit is refused at once, and the connection closed.
    if (Number(req.headers['content-length']) > 16 * BODY_LIMIT) return reply(res, 413, { error: `body too large: at most ${BODY_LIMIT} bytes` }, { connection: 'close' });
    const body = await readBody(req, BODY_LIMIT);
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') return reply(res, 413, { error: `body too large: at most ${BODY_LIMIT} bytes` });
    if (body.kind === 'not-utf8') return reply(res, 400, { error: 'body is not UTF-8 text; send JSON' });
    let json: unknown;
    try {
      json = JSON.parse(body.text);
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
  if (!p.success) {
    const wrong = p.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    return { status: 400, body: { error: `${wrong}. POST /api/sim/${device} takes ${SIM_BODIES[device]}` } };
  }
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
