/**
 * The path of a request, decoded once, or why it cannot be read (issue #11: `GET /%zz` was a
 * 500 with a stack trace). Only the origin form (`/path?query`) is taken: browsers send nothing
 * else to a server that is not a proxy.
 */

/** Longer request targets are refused with 414; nothing the kiosk serves comes near this. */
export const MAX_TARGET_LENGTH = 2048;

export type RequestTarget =
  | { readonly ok: true; readonly path: string; readonly query: URLSearchParams }
  | { readonly ok: false; readonly status: 400 | 414; readonly error: string };

export function parseTarget(raw: string | undefined): RequestTarget {
  if (raw === undefined || !raw.startsWith('/')) return { ok: false, status: 400, error: 'the request target must be a path that starts with "/"' };
  if (raw.length > MAX_TARGET_LENGTH) return { ok: false, status: 414, error: `the URL is longer than ${MAX_TARGET_LENGTH} characters` };
  let url: URL;
  try {
    // Prefixing keeps "//x" a path, not a host.
    url = new URL(`http://kiosk${raw}`);
  } catch {
    return { ok: false, status: 400, error: 'the URL cannot be parsed' };
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, error: 'the path has a bad percent-encoding (each % must start a UTF-8 byte in hex)' };
  }
  if (/[\u0000-\u001f\u007f]/.test(path)) return { ok: false, status: 400, error: 'the path has a control character in it' };
  return { ok: true, path, query: url.searchParams };
}
