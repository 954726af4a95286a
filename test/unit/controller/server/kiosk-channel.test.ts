import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import WebSocket from 'ws';
import { createKioskRuntime } from '../../../../controller/enrollment/runtime';
import { TEST_FLOW, createFakeMachine, emptyScript } from '../../../helpers/enrollment-harness';
import { createKioskServer, type KioskServer } from '../../../../controller/server/http';
import { isLoopback } from '../../../../controller/server/screen-gate';
import type { ServerMessage } from '../../../../domain/kiosk-channel/messages';
import { failFast } from '../../../helpers/fail-fast';
import { screenFetch, screenHeaders, socketUrlOf } from '../../../helpers/screen-client';

const log = pino({ level: 'silent' });
let server: KioskServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start() {
  const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
  runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
  server = createKioskServer({ runtime, uiRoot: '/nonexistent', log, health: async () => ({ status: 'ok' }) });
  const { screenUrl } = await server.listen(0, '127.0.0.1');
  return { runtime, screenUrl };
}

/** Open the channel as the kiosk's own screen and collect what the kiosk sends. */
async function connect(screenUrl: string) {
  const ws = new WebSocket(socketUrlOf(screenUrl), { headers: screenHeaders(screenUrl) });
  const messages: ServerMessage[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  await new Promise((r) => ws.once('open', r));
  const waitFor = async (pred: (m: ServerMessage) => boolean): Promise<ServerMessage> => {
    for (let i = 0; i < 200; i++) {
      const hit = messages.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no matching message; got ${JSON.stringify(messages)}`);
  };
  return { ws, messages, waitFor };
}

describe('the kiosk channel', () => {
  it('sends the current view model on connect and a new one after each accepted intent', async () => {
    const { screenUrl } = await start();
    const c = await connect(screenUrl);
    await c.waitFor((m) => m.type === 'view' && m.view.screen.name === 'attract');
    c.ws.send(JSON.stringify({ type: 'intent', intent: { type: 'START' } }));
    await c.waitFor((m) => m.type === 'view' && m.view.screen.name === 'language');
    c.ws.close();
  });

  it('answers a message that is not JSON with an error and changes nothing', async () => {
    const { screenUrl, runtime } = await start();
    const c = await connect(screenUrl);
    const before = runtime.view();
    c.ws.send('{not json');
    const err = await c.waitFor((m) => m.type === 'error');
    expect(err).toMatchObject({ type: 'error', code: 'bad-json' });
    expect(runtime.view()).toEqual(before);
    c.ws.close();
  });

  it('rejects an unknown intent and a malformed one, naming the field, and changes nothing', async () => {
    const { screenUrl, runtime } = await start();
    const c = await connect(screenUrl);
    const before = runtime.view();
    c.ws.send(JSON.stringify({ type: 'intent', id: 'a1', intent: { type: 'SELF_DESTRUCT' } }));
    c.ws.send(JSON.stringify({ type: 'intent', id: 'a2', intent: { type: 'SET_LANGUAGE', lang: 'fr' } }));
    const e1 = await c.waitFor((m) => m.type === 'error' && m.id === 'a1');
    const e2 = await c.waitFor((m) => m.type === 'error' && m.id === 'a2');
    expect(e1).toMatchObject({ code: 'bad-message' });
    expect(e2).toMatchObject({ code: 'bad-message' });
    expect(e2.type === 'error' && e2.message).toContain('intent.lang');
    expect(runtime.view()).toEqual(before);
    c.ws.close();
  });

  it('refuses an intent the current screen cannot take', async () => {
    const { screenUrl, runtime } = await start();
    const c = await connect(screenUrl);
    c.ws.send(JSON.stringify({ type: 'intent', id: 'r', intent: { type: 'REVIEW_CONFIRM' } }));
    const err = await c.waitFor((m) => m.type === 'error' && m.id === 'r');
    expect(err).toMatchObject({ code: 'not-allowed-now' });
    expect(runtime.view().screen.name).toBe('attract');
    c.ws.close();
  });

  it('refuses a signature with absurd coordinates before it reaches the statechart', async () => {
    const { screenUrl } = await start();
    const c = await connect(screenUrl);
    const strokes = [[{ x: 'a', y: 1, t: 0 }]];
    c.ws.send(JSON.stringify({ type: 'intent', id: 's', intent: { type: 'SIGNATURE_SUBMIT', strokes, box: { width: 600, height: 200 } } }));
    expect(await c.waitFor((m) => m.type === 'error' && m.id === 's')).toMatchObject({ code: 'bad-message' });
    c.ws.close();
  });

  it('serves /healthz to anyone and session images to the kiosk screen', async () => {
    const { screenUrl } = await start();
    const health = await fetch(new URL('/healthz', screenUrl));
    expect(await health.json()).toEqual({ status: 'ok' });
    const img = await screenFetch(screenUrl, '/session/face.jpg');
    expect(img.status).toBe(404); // the kiosk screen, but no photo in this session yet
  });

  it('counts only loopback addresses as local', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('192.168.1.20')).toBe(false);
    expect(isLoopback('::ffff:10.0.0.1')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});
