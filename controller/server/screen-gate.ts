import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SECRET_PATTERN, screenCookieName, screenUrlFor } from './screen-link';

/**
 * Who may be the kiosk's screen (issue #11). The channel, the session's images, the camera
 * preview and the simulators answer a request only when all of these hold:
 *  - it comes over loopback (nothing on the network, whatever `server.host` says);
 *  - its Host is this server under a loopback name and our port: a page under another name that
 *    resolves to 127.0.0.1 (DNS rebinding) carries that other name, and is refused;
 *  - its Origin, when the browser sends one (always for the channel), is `http://<that Host>`;
 *    its Sec-Fetch-Site, when sent, is `same-origin`: a page on another port of this machine is
 *    "same-site" to the browser, which then sends our SameSite=Strict cookie along;
 *  - it carries the cookie holding the secret made at this start (compared in constant time).
 * The first two keep out other pages; the cookie keeps out other programs and other browsers.
 *
 * `local` requests (the simulators' scripting, POST /api/sim/<device>) need all but the cookie:
 * a program on this machine may play the citizen at simulated devices, as the tests and curl
 * do, but no web page may (CSRF, DNS rebinding). What they answer holds nothing of a citizen.
 */

export type ScreenRefusal = 'not-loopback' | 'bad-host' | 'bad-origin' | 'cross-site' | 'no-screen-cookie' | 'wrong-screen-cookie' | 'wrong-screen-link';

type Refused = { readonly ok: false; readonly status: 401 | 403; readonly reason: ScreenRefusal; readonly error: string };
export type ScreenCheck = { readonly ok: true } | Refused;

export interface ScreenGate {
  /** The URL the launcher opens: `http://127.0.0.1:<port>/?screen=<secret>`. */
  readonly screenUrl: string;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /**
   * Is this the screen? `socket`: the channel's upgrade, where a browser always sends Origin.
   * `local`: a program on this machine, or the screen, but no other page (no cookie needed).
   */
  check(req: IncomingMessage, kind: 'socket' | 'request' | 'local'): ScreenCheck;
  /** The page's first load: does the URL carry this start's secret, from a loopback client under our Host? */
  checkSecret(req: IncomingMessage, secret: string): ScreenCheck;
  /** The Set-Cookie header value that makes the page the screen. */
  readonly setCookie: string;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The host part of a URL for a loopback address we listen on (0.0.0.0 and :: answer on loopback too). */
export function loopbackUrlHost(address: string): string {
  if (address === '::1') return '[::1]';
  if (address === '::' || address === '0.0.0.0' || !isLoopback(address)) return '127.0.0.1';
  return address.replace(/^::ffff:/, '');
}

export function newScreenSecret(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function refuse(status: 401 | 403, reason: ScreenRefusal, error: string): Refused {
  return { ok: false, status, reason, error };
}

/** The values of every `name=value` pair called `name` in the request's Cookie headers. */
function cookieValues(req: IncomingMessage, name: string): string[] {
  const header = req.headers.cookie;
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) values.push(pair.slice(eq + 1).trim());
  }
  return values;
}

export function createScreenGate(opts: { readonly port: number; readonly host: string; readonly secret?: string }): ScreenGate {
  const secret = opts.secret ?? newScreenSecret();
  if (!SECRET_PATTERN.test(secret)) throw new Error('a screen secret is 32 random bytes in base64url');
  const expected = digest(secret);
  const cookieName = screenCookieName(opts.port);
  const origin = `http://${opts.host}:${opts.port}`;
  // Browsers leave out the default port: `Host: 127.0.0.1` on port 80.
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', opts.host]);
  const hosts = new Set([...names].flatMap((n) => (opts.port === 80 ? [n, `${n}:80`] : [`${n}:${opts.port}`])));
  const matches = (candidate: string): boolean => timingSafeEqual(digest(candidate), expected);

  /** The loopback Host the request names, or why it is not ours. */
  const place = (req: IncomingMessage): { readonly ok: true; readonly host: string } | Refused => {
    if (!isLoopback(req.socket.remoteAddress)) return refuse(403, 'not-loopback', 'the kiosk screen is served to this machine only');
    const host = req.headers.host?.toLowerCase();
    if (host === undefined || !hosts.has(host)) return refuse(403, 'bad-host', `the kiosk screen is served as ${origin} only (Host was ${JSON.stringify(req.headers.host ?? '')})`);
    return { ok: true, host };
  };

  return {
    screenUrl: screenUrlFor(origin, secret),
    origin,
    setCookie: `${cookieName}=${secret}; HttpOnly; SameSite=Strict; Path=/`,
    checkSecret(req, candidate) {
      const where = place(req);
      if (!where.ok) return where;
      if (!matches(candidate)) return refuse(403, 'wrong-screen-link', 'this screen link is not the one of the running kiosk (it changes at every start)');
      return { ok: true };
    },
    check(req, kind) {
      const where = place(req);
      if (!where.ok) return where;
      const from = req.headers.origin;
      if ((kind === 'socket' && from === undefined) || (from !== undefined && from !== `http://${where.host}`)) {
        return refuse(403, 'bad-origin', `only the kiosk's own page may use this (Origin was ${JSON.stringify(from ?? '')})`);
      }
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin') return refuse(403, 'cross-site', `only the kiosk's own page may use this (it came from a ${site} page)`);
      if (kind === 'local') return { ok: true };
      const values = cookieValues(req, cookieName);
      if (values.length === 0) return refuse(401, 'no-screen-cookie', "this is not the kiosk's screen: open the screen URL the kiosk printed or wrote to its screen-url file");
      if (!values.some(matches)) return refuse(401, 'wrong-screen-cookie', "this screen's pass is from an earlier start of the kiosk: open the screen URL again");
      return { ok: true };
    },
  };
}
