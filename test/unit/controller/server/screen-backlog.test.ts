import { afterEach, describe, expect, it } from 'vitest';
import { connectAsScreen, type ChannelClient } from '../../../helpers/screen-client';
import { startTestServer, type TestServer } from '../../../helpers/test-server';
import { waitFor } from '../../../helpers/wait-for';

/**
 * Issue #11: a screen that never reads must not make the server's memory grow without bound.
 * The view model is a snapshot, so while the socket is backed up the server keeps only the
 * newest one to send when it drains.
 */

let t: TestServer | undefined;
let client: ChannelClient | undefined;
afterEach(async () => {
  client?.ws.terminate();
  await t?.close();
  t = undefined;
});

/** Enough view models to fill the loopback socket's kernel buffers many times over. */
const PUSHES = 20_000;
const BOUND = 256 * 1024;

describe('a screen that stops reading', () => {
  it('costs the server a bounded backlog, and gets the newest view when it reads again', async () => {
    t = await startTestServer();
    const { runtime, server, screenUrl } = t;
    const c = await connectAsScreen(screenUrl);
    client = c;
    await c.next((m) => m.type === 'view', 'the first view');
    c.send({ type: 'intent', intent: { type: 'START' } });
    c.send({ type: 'intent', intent: { type: 'SET_LANGUAGE', lang: 'vi' } });
    c.send({ type: 'intent', intent: { type: 'CASE_CHOOSE', case: 'expired' } });
    await c.next((m) => m.type === 'view' && m.view.screen.name === 'document', 'the document screen');

    c.ws.pause(); // the page's tab hangs: nothing is read from the socket any more
    let largest = 0;
    for (let i = 0; i < PUSHES; i++) {
      // Help on, help off: each is a new view model for the screen.
      runtime.send({ type: i % 2 === 0 ? 'HELP' : 'HELP_DONE' });
      if (i % 1000 === 0) await new Promise((r) => setImmediate(r)); // let the sockets write
      largest = Math.max(largest, server.screenBacklogBytes());
    }
    expect(largest).toBeLessThanOrEqual(BOUND);

    const newest = runtime.view().seq;
    const before = c.messages.length;
    c.ws.resume();
    await waitFor(() => c.messages.some((m) => m.type === 'view' && m.view.seq === newest), { what: `the newest view (seq ${newest})`, timeoutMs: 20_000 });
    // Far fewer than one message per push reached the screen: the rest were replaced, not queued.
    expect(c.messages.length - before).toBeLessThan(PUSHES / 2);
  });
});
