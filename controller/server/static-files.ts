import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  // The spoken prompts (ui/voice-build.ts) and their manifest.
  '.ogg': 'audio/ogg',
  '.json': 'application/json',
};

/**
 * Serve one file of the built page. `filePath` is the request's decoded path. Refuses paths
 * that climb out of the root, and any source map: the production page has none, and a map
 * left in the folder by a dev build is not for the kiosk's visitors (issue #11). `headers` are
 * added to the answer (the service screen's: no framing, no referrer).
 */
export async function serveStatic(root: string, filePath: string, res: ServerResponse, status = 200, headers: Readonly<Record<string, string>> = {}): Promise<boolean> {
  const rel = filePath === '/' ? 'index.html' : filePath.replace(/^\/+/, '');
  const file = path.resolve(root, rel);
  if (!file.startsWith(path.resolve(root) + path.sep)) return false;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.map') return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  res.writeHead(status, {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    // index.html must never be cached, or a kiosk keeps an old UI after an update.
    'cache-control': rel === 'index.html' ? 'no-store' : 'no-cache',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
  return true;
}
