import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { screenCookieName, screenCredentials } from '../../../../controller/server/screen-link';
import { openChannel, screenHeaders, socketUrlOf, type ChannelClient } from '../../../helpers/screen-client';
import { startTestServer, type TestServer } from '../../../helpers/test-server';

/**
 * Issue #11, one citizen, one screen: the channel, the session's images and the simulators
 * belong to the kiosk's own screen. It proves that with a cookie it got for the secret made at
 * this start, and its requests come from the server's own origin under a loopback host name.
 */

let t: TestServer | undefined;
const clients: ChannelClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await t?.close();
  t = undefined;
});

async function start(): Promise<TestServer> {
  t = await startTestServer();
  return t;
}

function secretOf(screenUrl: string): string {
  return new URL(screenUrl).searchParams.get('screen') ?? '';
}

/** A raw HTTP GET with exactly these headers (fetch() would fix the Host for us). */
function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, setHost: !('host' in headers) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function expectRefused(socketUrl: string, headers: Record<string, string>, status: number): Promise<string> {
  const r = await openChannel(socketUrl, { headers });
  if (r.kind === 'open') {
    clients.push(r.client);
    const got = r.client.messages.length ? r.client.messages : [await r.client.next(() => true, 'any message', 2000).catch(() => 'nothing')];
    throw new Error(`the channel was opened with ${JSON.stringify(headers)}; it sent ${JSON.stringify(got).slice(0, 200)}`);
  }
  expect(r.status).toBe(status);
  const body: unknown = JSON.parse(r.body);
  expect(body).toMatchObject({ error: expect.any(String), reason: expect.any(String) });
  return r.body;
}

describe('the kiosk channel belongs to the kiosk screen', () => {
  it('refuses a client without the screen cookie, with a reason and before any view', async () => {
    const { origin, screenUrl } = await start();
    const body = await expectRefused(socketUrlOf(screenUrl), { origin }, 401);
    expect(body).toMatch(/screen/);
  });

  it('refuses a cookie with another secret, and the right secret under another port’s cookie name', async () => {
    const { origin, screenUrl, port } = await start();
    const secret = secretOf(screenUrl);
    const other = secret.startsWith('A') ? `B${secret.slice(1)}` : `A${secret.slice(1)}`;
    await expectRefused(socketUrlOf(screenUrl), { origin, cookie: `${screenCookieName(port)}=${other}` }, 401);
    await expectRefused(socketUrlOf(screenUrl), { origin, cookie: `${screenCookieName(port + 1)}=${secret}` }, 401);
    await expectRefused(socketUrlOf(screenUrl), { origin, cookie: `${screenCookieName(port)}=${secret.slice(0, 20)}` }, 401);
  });

  it('refuses the right cookie from a page of another origin', async () => {
    const { port, screenUrl } = await start();
    const { cookie } = screenHeaders(screenUrl);
    for (const origin of [
      undefined,
      'null',
      `http://127.0.0.1:${port + 1}`,
      `http://localhost:${port}`, // another spelling than the Host the request names
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}.evil.example`,
      'http://evil.example',
      `file://`,
    ]) {
      await expectRefused(socketUrlOf(screenUrl), { cookie, ...(origin === undefined ? {} : { origin }) }, 403);
    }
  });

  it('refuses a Host that is not this server’s loopback address and port (DNS rebinding)', async () => {
    const { port, screenUrl } = await start();
    const { cookie } = screenHeaders(screenUrl);
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.2:${port}`,
      `0x7f.1:${port}`,
      `2130706433:${port}`,
      `[::ffff:127.0.0.1]:${port}`,
      `127.0.0.1:${port + 1}`,
      `127.0.0.1`,
      `127.0.0.1:${port}@evil.example`,
    ]) {
      await expectRefused(socketUrlOf(screenUrl), { cookie, host, origin: `http://${host}` }, 403);
    }
  });

  it('lets the screen in under each loopback name, with its Origin matching its Host', async () => {
    const { port, screenUrl } = await start();
    const { cookie } = screenHeaders(screenUrl);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const r = await openChannel(socketUrlOf(screenUrl), { headers: { cookie, host, origin: `http://${host.toLowerCase()}` } });
      if (r.kind === 'refused') throw new Error(`refused under ${host}: ${r.status} ${r.body}`);
      await r.client.next((m) => m.type === 'view', `a view under ${host}`);
      r.client.ws.close();
      await r.client.waitClosed();
    }
  });
});

describe('the screen URL', () => {
  it('trades the secret for an HttpOnly, SameSite=Strict cookie and sends the page to / without it', async () => {
    const { port, screenUrl } = await start();
    const res = await fetch(screenUrl, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie.split(';')[0]).toBe(`${screenCookieName(port)}=${secretOf(screenUrl)}`);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
  });

  it('sets no cookie for a wrong secret, and says why', async () => {
    const { screenUrl } = await start();
    const wrong = new URL(screenUrl);
    wrong.searchParams.set('screen', 'x'.repeat(43));
    const res = await fetch(wrong, { redirect: 'manual' });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('is new at every start', async () => {
    const first = (await start()).screenUrl;
    await t?.close();
    const second = (await start()).screenUrl;
    expect(secretOf(first)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secretOf(second)).not.toBe(secretOf(first));
  });

  it('GET /api/screen tells the page whether it is the kiosk screen', async () => {
    const { port, screenUrl } = await start();
    const { cookie } = screenHeaders(screenUrl);
    const host = `127.0.0.1:${port}`;
    expect((await rawGet(port, '/api/screen', { host, cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const no = await rawGet(port, '/api/screen', { host, 'sec-fetch-site': 'same-origin' });
    expect(no.status).toBe(401);
    expect(JSON.parse(no.body)).toMatchObject({ reason: 'no-screen-cookie' });
  });
});

describe("the session's images, the camera preview and the simulators", () => {
  const paths = ['/session/face.jpg', '/session/signature.png', '/camera/preview.mjpg', '/api/sim/printer/receipt.png'];

  it('refuse a request without the screen cookie', async () => {
    const { port } = await start();
    for (const path of paths) {
      const r = await rawGet(port, path, { host: `127.0.0.1:${port}` });
      expect(r.status, path).toBe(401);
      expect(JSON.parse(r.body), path).toMatchObject({ error: expect.any(String), reason: 'no-screen-cookie' });
    }
  });

  it('refuse the cookie when another page embeds them or the Host is not ours', async () => {
    const { port, screenUrl } = await start();
    const { cookie } = screenHeaders(screenUrl);
    const host = `127.0.0.1:${port}`;
    for (const path of paths) {
      // A page on another port of this machine is same-site: the browser sends the cookie.
      expect((await rawGet(port, path, { host, cookie, 'sec-fetch-site': 'same-site' })).status, path).toBe(403);
      expect((await rawGet(port, path, { host, cookie, 'sec-fetch-site': 'cross-site' })).status, path).toBe(403);
      expect((await rawGet(port, path, { host, cookie, origin: `http://127.0.0.1:${port + 1}` })).status, path).toBe(403);
      expect((await rawGet(port, path, { host: `evil.example:${port}`, cookie })).status, path).toBe(403);
    }
  });

  it('answer the screen itself (here: nothing to show yet)', async () => {
    const { port, screenUrl } = await start();
    const { cookie } = screenHeaders(screenUrl);
    for (const path of paths) {
      const r = await rawGet(port, path, { host: `127.0.0.1:${port}`, cookie, 'sec-fetch-site': 'same-origin' });
      expect(r.status, path).toBe(404);
    }
  });

  it('let a program on this machine script the simulators without the cookie, but no other page', async () => {
    const { port } = await start();
    const post = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/sim/document', method: 'POST', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await post({})).toBe(404); // let through; this server has no simulators
    expect(await post({ origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' })).toBe(404);
    expect(await post({ origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await post({ 'sec-fetch-site': 'same-site' })).toBe(403);
    expect(await post({ host: `evil.example:${port}` })).toBe(403);
  });

  it('parses the screen URL the kiosk hands out into what a client outside the browser sends', async () => {
    const { port, screenUrl } = await start();
    expect(screenCredentials(screenUrl)).toEqual({
      origin: `http://127.0.0.1:${port}`,
      socketUrl: `ws://127.0.0.1:${port}/ws/kiosk`,
      cookie: `${screenCookieName(port)}=${secretOf(screenUrl)}`,
    });
    expect(screenCredentials(`http://127.0.0.1:${port}/`)).toBeUndefined();
  });
});
