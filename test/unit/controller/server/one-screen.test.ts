import { afterEach, describe, expect, it } from 'vitest';
import { connectAsScreen, openChannel, screenHeaders, socketUrlOf, type ChannelClient } from '../../../helpers/screen-client';
import { startTestServer, type TestServer, type TestServerOptions } from '../../../helpers/test-server';
import { waitFor, waitForValue } from '../../../helpers/wait-for';

/**
 * Issue #11: one kiosk screen at a time. A second connection with the screen's own cookie (a
 * second tab of the kiosk browser) is refused and changes nothing; a screen that has gone (a
 * reload, a frozen tab) is noticed, so the next page gets in promptly.
 */

let t: TestServer | undefined;
const clients: ChannelClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await t?.close();
  t = undefined;
});

async function start(opts: TestServerOptions = {}): Promise<TestServer> {
  t = await startTestServer(opts);
  return t;
}

async function screen(screenUrl: string, opts: { autoPong?: boolean } = {}): Promise<ChannelClient> {
  const c = await connectAsScreen(screenUrl, opts);
  clients.push(c);
  return c;
}

/** What the page does: connect; if told another screen is open, wait for the close and knock again. */
async function knockUntilIn(screenUrl: string, timeoutMs = 5000): Promise<{ client: ChannelClient; refusals: number }> {
  let refusals = 0;
  const client = await waitForValue(
    async () => {
      const c = await screen(screenUrl);
      const first = await c.next(() => true, 'a first message');
      if (first.type === 'view') return c;
      expect(first).toMatchObject({ type: 'error', code: 'screen-in-use' });
      refusals++;
      await c.waitClosed();
      return undefined;
    },
    { what: 'the page to get in', timeoutMs },
  );
  return { client, refusals };
}

describe('one kiosk screen at a time', () => {
  it('refuses a second screen with screen-in-use, sends it no view, and ignores what it sends', async () => {
    const { runtime, screenUrl } = await start();
    const first = await screen(screenUrl);
    await first.next((m) => m.type === 'view', 'the first screen’s view');
    first.send({ type: 'intent', intent: { type: 'START' } });
    await waitFor(() => runtime.view().screen.name === 'language', { what: 'the language screen' });

    const r = await openChannel(socketUrlOf(screenUrl), { headers: screenHeaders(screenUrl) });
    if (r.kind === 'refused') throw new Error(`expected a protocol refusal, got HTTP ${r.status}`);
    clients.push(r.client);
    r.client.send({ type: 'intent', intent: { type: 'QUIT' } });
    r.client.send({ type: 'intent', intent: { type: 'SET_LANGUAGE', lang: 'en' } });
    const refusal = await r.client.next(() => true, 'the refusal');
    expect(refusal).toMatchObject({ type: 'error', code: 'screen-in-use', message: expect.stringMatching(/another/i) });
    expect((await r.client.waitClosed()).code).toBe(4409);
    expect(r.client.messages.filter((m) => m.type === 'view')).toEqual([]);

    expect(runtime.view().screen.name).toBe('language');
    expect(runtime.view().lang).toBe('vi');
    expect(first.closed()).toBeUndefined();
    // The first screen goes on as before.
    first.send({ type: 'intent', intent: { type: 'SET_LANGUAGE', lang: 'en' } });
    await first.next((m) => m.type === 'view' && m.view.screen.name === 'case', 'the case screen on the first screen');
  });

  it('lets a reload in: the old page closes its socket as the new one knocks', async () => {
    const { screenUrl, runtime } = await start();
    const old = await screen(screenUrl);
    await old.next((m) => m.type === 'view', 'the old page’s view');
    old.send({ type: 'intent', intent: { type: 'START' } });
    await waitFor(() => runtime.view().screen.name === 'language', { what: 'the language screen' });
    // No await between the two: the close frame and the new connection race.
    old.ws.close(1001);
    const { client } = await knockUntilIn(screenUrl);
    const view = await client.next((m) => m.type === 'view', 'the reloaded page’s view');
    expect(view.type === 'view' && view.view.screen.name).toBe('language');
  });

  it('drops a screen that no longer answers pings when another knocks, so a reload gets in promptly', async () => {
    const { screenUrl } = await start({ channel: { heartbeatMs: 60_000, pongTimeoutMs: 100 } });
    const frozen = await screen(screenUrl, { autoPong: false });
    await frozen.next((m) => m.type === 'view', 'the frozen page’s view');
    const { client, refusals } = await knockUntilIn(screenUrl);
    expect(refusals).toBeGreaterThanOrEqual(1);
    expect(frozen.pings()).toBeGreaterThanOrEqual(1);
    await frozen.waitClosed('the frozen screen to be dropped');
    await client.next((m) => m.type === 'view', 'the new page’s view');
  });

  it('keeps a live screen that answers its pings, and keeps refusing others', async () => {
    // Each heartbeat drops a screen that did not answer the one before: a live one always has.
    const { screenUrl } = await start({ channel: { heartbeatMs: 150, pongTimeoutMs: 150 } });
    const live = await screen(screenUrl);
    await live.next((m) => m.type === 'view', 'the live page’s view');
    const other = await screen(screenUrl);
    expect(await other.next(() => true, 'the refusal')).toMatchObject({ code: 'screen-in-use' });
    await waitFor(() => live.pings() >= 4, { what: 'four heartbeats answered' });
    expect(live.closed()).toBeUndefined();
    const again = await screen(screenUrl);
    expect(await again.next(() => true, 'the second refusal')).toMatchObject({ code: 'screen-in-use' });
  });

  it('drops a screen that vanished without closing its socket, even when nobody else knocks', async () => {
    const { screenUrl, server } = await start({ channel: { heartbeatMs: 30, pongTimeoutMs: 30 } });
    const gone = await screen(screenUrl, { autoPong: false });
    await gone.next((m) => m.type === 'view', 'the page’s view');
    await gone.waitClosed('the heartbeat to drop the silent screen');
    await waitFor(() => server.screenCount() === 0, { what: 'no screen connected' });
  });
});
