import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openReconnectingSocket } from '../../../../ui/common/reconnecting-socket';

/** A stand-in for the browser's WebSocket: each instance is recorded, and the test opens, talks and closes it. */
class FakeSocket extends EventTarget {
  static readonly made: FakeSocket[] = [];
  static readonly OPEN = 1;
  readyState = 0;
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
  }
  opens(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  says(text: string): void {
    this.dispatchEvent(new MessageEvent('message', { data: text }));
  }
  close(): void {
    this.readyState = 3;
    this.dispatchEvent(new Event('close'));
  }
}

beforeEach(() => {
  FakeSocket.made.length = 0;
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const latest = (): FakeSocket => {
  const s = FakeSocket.made.at(-1);
  if (!s) throw new Error('no socket was opened');
  return s;
};

describe('the pages\' reconnecting socket', () => {
  it('opens again after a delay that doubles up to the ceiling, and from the shortest once reset', async () => {
    const texts: string[] = [];
    const s = openReconnectingSocket({ url: 'ws://k/ws', minDelayMs: 100, maxDelayMs: 350, onText: (t) => void texts.push(t), onClose: () => true });
    latest().opens();
    latest().says('hello');
    expect(texts).toEqual(['hello']);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = FakeSocket.made.length;
      latest().close();
      let waited = 0;
      while (FakeSocket.made.length === before) {
        await vi.advanceTimersByTimeAsync(10);
        waited += 10;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([100, 200, 350, 350]);
    s.resetBackoff();
    latest().close();
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.made).toHaveLength(6);
    s.close();
  });

  it('stops when the page says so, at once or after asking (a login gone), and after close()', async () => {
    let again = false;
    openReconnectingSocket({ url: 'ws://k/ws', minDelayMs: 10, maxDelayMs: 10, onText: () => undefined, onClose: () => Promise.resolve(again) });
    latest().close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.made).toHaveLength(1);

    again = true;
    const closes: boolean[] = [];
    const s = openReconnectingSocket({
      url: 'ws://k/ws',
      minDelayMs: 10,
      maxDelayMs: 10,
      onText: () => undefined,
      onClose: (_ws, opened) => {
        closes.push(opened);
        return true;
      },
    });
    latest().close(); // refused before it opened
    await vi.advanceTimersByTimeAsync(10);
    expect(FakeSocket.made).toHaveLength(3);
    latest().opens();
    expect(s.current()).toBe(latest());
    s.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.made).toHaveLength(3);
    expect(closes).toEqual([false]);
    expect(s.current()).toBeUndefined();
  });
});
