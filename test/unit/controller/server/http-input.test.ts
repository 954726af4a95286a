import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimControls } from '../../../../controller/devices/sim-controls';
import { simApiHandler } from '../../../../controller/server/sim-api';
import { screenFetch, screenHeaders } from '../../../helpers/screen-client';
import { LEVEL, startTestServer, type TestServer, type TestServerOptions } from '../../../helpers/test-server';

/**
 * Issue #11: bad input is the client's mistake, answered with a 4xx and a reason; it is not a
 * server error (no 500, no stack trace in the log at error level). And the page's source map
 * is not served.
 */

let t: TestServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function start(opts: TestServerOptions = {}): Promise<TestServer> {
  t = await startTestServer(opts);
  return t;
}

/** Sends a request exactly as written (no client-side URL clean-up) and reads the answer. */
function raw(port: number, head: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      // Every answer of ours declares its length, so the body is what follows the head.
      resolve({ status, body: Buffer.from(text.slice(text.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8') });
    });
    socket.write(`${head}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`);
  });
}

/** A POST whose body comes in chunks with no declared length (chunked transfer encoding). */
function postChunked(port: number, screenUrl: string, path: string, chunks: number, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { cookie: screenHeaders(screenUrl).cookie } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    for (let i = 0; i < chunks; i++) req.write('x'.repeat(size));
    req.end();
  });
}

function errorLogs(s: TestServer) {
  return s.logs.filter((l) => l.level >= LEVEL.error);
}

function expectReason(r: { status: number; body: string }, status: number, what: string): void {
  expect(r.status, `${what}: ${r.body}`).toBe(status);
  const body: unknown = JSON.parse(r.body);
  expect(body, what).toMatchObject({ error: expect.any(String) });
}

describe('a request the server cannot make sense of', () => {
  it('gets 400 with a reason for a malformed URL, and no error in the log', async () => {
    const s = await start();
    for (const target of ['/%zz', '/%', '/%4', '/a%2', '/%E0%A4%A', '/%C0%AE%C0%AE/', '/session/%zz', '/api/sim/%zz', '/%00', '/app.js%00.map', '/%FF', 'kiosk', 'http://127.0.0.1/']) {
      const r = await raw(s.port, `GET ${target} HTTP/1.1`);
      expect(r.status, target).toBeGreaterThanOrEqual(400);
      expect(r.status, target).toBeLessThan(500);
      expect(JSON.parse(r.body), target).toMatchObject({ error: expect.any(String) });
    }
    expect(errorLogs(s)).toEqual([]);
  });

  it('gets 414 for an overlong URL and 431 for headers too big to read, each with a reason', async () => {
    const s = await start();
    expectReason(await raw(s.port, `GET /${'a'.repeat(4000)} HTTP/1.1`), 414, 'a 4000-character path');
    expectReason(await raw(s.port, `GET /?q=${'a'.repeat(20_000)} HTTP/1.1`), 431, 'a 20 kB request line');
    expectReason(await raw(s.port, `GET / HTTP/1.1\r\nX-Junk: ${'a'.repeat(20_000)}`), 431, 'a 20 kB header');
    expect(errorLogs(s)).toEqual([]);
  });

  it('gets a 4xx for a request line that is not HTTP, a proxy request, or a method the path does not take', async () => {
    const s = await start();
    expect((await raw(s.port, 'HELLO')).status).toBe(400);
    expectReason(await raw(s.port, 'CONNECT 127.0.0.1:22 HTTP/1.1'), 405, 'CONNECT');
    expectReason(await raw(s.port, 'OPTIONS * HTTP/1.1'), 400, 'OPTIONS *');
    expectReason(await raw(s.port, 'DELETE /healthz HTTP/1.1'), 405, 'DELETE /healthz');
    expect(errorLogs(s)).toEqual([]);
  });

  it('never gets the page’s source map, even if one was built', async () => {
    const ui = await mkdtemp(path.join(os.tmpdir(), 'kiosk-ui-'));
    dirs.push(ui);
    await writeFile(path.join(ui, 'index.html'), '<!doctype html><title>k</title>');
    await writeFile(path.join(ui, 'app.js'), 'void 0;');
    await writeFile(path.join(ui, 'app.js.map'), '{"version":3,"sources":["secret.tsx"]}');
    const s = await start({ uiRoot: ui });
    expect((await fetch(`${s.origin}/app.js`)).status).toBe(200);
    for (const p of ['/app.js.map', '/APP.JS.MAP', '/app.js.map?x=1', '/app%2Ejs%2Emap', '/./app.js.map']) expect((await fetch(`${s.origin}${p}`)).status, p).toBe(404);
  });
});

describe('the simulator API', () => {
  const controls: SimControls = { document: async () => undefined, printer: async () => undefined };

  it('answers 404 naming the simulators for every name that is not one, and logs no error', async () => {
    const s = await start({ simApi: simApiHandler(controls) });
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'toaster', 'DOCUMENT', 'document/extra', '', '%2Fdocument']) {
      const res = await screenFetch(s.screenUrl, `/api/sim/${name}`, { method: 'POST', body: '{}' });
      expect(res.status, name).toBe(404);
      expect((await res.json()).error, name).toMatch(/document, fingerprint/);
      // The same from a program on this machine without the screen's cookie (curl, a test).
      const plain = await fetch(`${s.origin}/api/sim/${name}`, { method: 'POST', body: '{}' });
      expect(plain.status, `${name} without the cookie`).toBe(404);
    }
    expect(errorLogs(s)).toEqual([]);
  });

  it('answers 413 for a body over its limit and 400 for one that is not JSON or not UTF-8', async () => {
    const s = await start({ simApi: simApiHandler(controls) });
    const big = JSON.stringify({ present: 'x'.repeat(200_000) });
    const tooBig = await screenFetch(s.screenUrl, '/api/sim/document', { method: 'POST', body: big });
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error).toMatch(/too large/);
    const chunked = await postChunked(s.port, s.screenUrl, '/api/sim/document', 40, 8192);
    expect(chunked).toBe(413);
    for (const body of ['{oops', '', 'null x']) {
      const res = await screenFetch(s.screenUrl, '/api/sim/document', { method: 'POST', body });
      expect(res.status, body).toBe(400);
      expect((await res.json()).error, body).toMatch(/JSON/);
    }
    const latin1 = await screenFetch(s.screenUrl, '/api/sim/document', { method: 'POST', body: new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]) });
    expect(latin1.status).toBe(400);
    expect(errorLogs(s)).toEqual([]);
  });

  it('answers 405 for a method it does not take', async () => {
    const s = await start({ simApi: simApiHandler(controls) });
    const res = await fetch(`${s.origin}/api/sim/document`, { method: 'DELETE', headers: screenHeaders(s.screenUrl) });
    expect(res.status).toBe(405);
  });
});
