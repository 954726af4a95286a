import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { serveStatic } from './static-files';

/**
 * What the service screen's page and socket share wherever they are served: on the kiosk's
 * loopback server under /tech/ (the kiosk's own screen, programs on the kiosk) and on the tech
 * listener for the network (tech-server.ts) at /.
 */

/** The page may not be framed (a page framing it could trick a technician's taps) and sends no referrer. */
export const TECH_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; connect-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
};

/** GET the page's files from `root`: `rel` is the path under the page ('/' is index.html). */
export function serveTechPage(root: string, rel: string, res: ServerResponse): Promise<boolean> {
  return serveStatic(root, rel, res, 200, TECH_PAGE_HEADERS);
}

/**
 * A browser always sends Origin with a WebSocket: only the service screen's own page may open
 * the tech channel (a page elsewhere must not drive it from a technician's browser). Programs
 * (`kiosk diag`) send none.
 */
export function sameOriginOrNone(req: IncomingMessage): { readonly ok: true } | { readonly ok: false; readonly error: string } {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return { ok: false, error: `only the service screen's own page may use this (it came from a ${site} page)` };
  if (origin === undefined) return { ok: true };
  const host = req.headers.host;
  if (host === undefined || (origin !== `http://${host}` && origin !== `https://${host}`)) {
    return { ok: false, error: `only the service screen's own page may use this (Origin was ${JSON.stringify(origin)})` };
  }
  return { ok: true };
}

export type UpgradeAnswer = (socket: Duplex, status: number, body: unknown) => void;
