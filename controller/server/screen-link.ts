/**
 * How the kiosk's own screen proves it is the kiosk's own screen (issue #11, "one citizen, one
 * screen"). The controller makes a fresh secret at each start and hands the screen URL that
 * carries it to the launcher (the screen-url file); the page's first load trades the secret for
 * an HttpOnly cookie, which the browser then sends with the channel and the session's images.
 *
 * This file is the format both ends share: the server (screen-gate.ts) and the clients that act
 * as the screen (`kiosk simulate`, tests).
 */

/** The query parameter of the screen URL that carries the secret: `/?screen=<secret>`. */
export const SCREEN_QUERY = 'screen';

/** A secret is 32 random bytes in base64url (43 characters). */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The cookie the page holds. It is named for the port because browsers share cookies between
 * the ports of one host: two controllers on one machine (tests, a developer) must not overwrite
 * each other's.
 */
export function screenCookieName(port: number): string {
  return `cccd_screen_${port}`;
}

/** `http://127.0.0.1:8080/?screen=<secret>` from the server's origin and the secret. */
export function screenUrlFor(origin: string, secret: string): string {
  return `${origin}/?${SCREEN_QUERY}=${secret}`;
}

export interface ScreenCredentials {
  /** `http://127.0.0.1:8080`: the Origin the screen's requests carry. */
  readonly origin: string;
  /** `ws://127.0.0.1:8080/ws/kiosk`. */
  readonly socketUrl: string;
  /** The value of a `Cookie` request header: `cccd_screen_8080=<secret>`. */
  readonly cookie: string;
}

/**
 * What a client outside the browser (simulate, tests) sends to be the screen, from the screen
 * URL the kiosk printed or wrote. Undefined when the URL carries no well-formed secret.
 */
export function screenCredentials(screenUrl: string): ScreenCredentials | undefined {
  let url: URL;
  try {
    url = new URL(screenUrl);
  } catch {
    return undefined;
  }
  const secret = url.searchParams.get(SCREEN_QUERY);
  if (secret === null || !SECRET_PATTERN.test(secret)) return undefined;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const socket = new URL('/ws/kiosk', url.origin);
  socket.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return { origin: url.origin, socketUrl: socket.href, cookie: `${screenCookieName(port)}=${secret}` };
}
