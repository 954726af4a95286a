import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { simulate } from '../../../../controller/cli/simulate';

/**
 * A kiosk that goes away in the middle of a citizen (stopped, restarted, killed: the crash soak
 * does it fifty times) ends that citizen at once, saying so; it does not wait out --timeout-s on
 * a dead socket, nor try the next citizens on it.
 */

let server: WebSocketServer | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

const attract = (seq: number) => JSON.stringify({ type: 'view', view: { seq, screen: { name: 'attract' } } });

it('ends the citizen as failed the moment the kiosk closes the channel, and the rest with it', async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (ws) => {
    ws.send(attract(1));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === 'hello') ws.send(attract(2));
      // The citizen taps Start: the kiosk dies.
      if (msg.type === 'intent' && msg.intent.type === 'START') ws.terminate();
    });
  });
  await new Promise((r) => server?.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?screen=${'a'.repeat(43)}`;
  const summary = await simulate({ citizens: 3, url, json: true, seed: 1, timeoutS: 60, realistic: true }, { readStdin: async () => '', out: () => undefined, err: () => undefined });
  expect(summary).toMatchObject({ completed: 0, failed: 3 });
  expect(summary.failures[0]).toMatch(/closed the channel/);
  expect(summary.failures[1]).toMatch(/closed the channel/);
});
