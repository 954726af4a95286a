import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSdNotify } from '../../../../controller/ops/sd-notify';

afterEach(() => vi.useRealTimers());

describe('systemd notify', () => {
  it('does nothing outside systemd', () => {
    const calls: string[][] = [];
    const n = createSdNotify({}, 42, (_c, args) => calls.push([...args]));
    n.ready('up');
    n.stopping();
    expect(calls).toEqual([]);
  });

  it('reports ready for our own pid and pings the watchdog at half its period', () => {
    vi.useFakeTimers();
    const calls: Array<[string, string[]]> = [];
    const n = createSdNotify({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '30000000' }, 42, (c, args) => calls.push([c, [...args]]));
    n.ready('kiosk ready on http://127.0.0.1:8080/');
    expect(calls[0]).toEqual(['systemd-notify', ['--pid=42', '--no-block', '--ready', '--status=kiosk ready on http://127.0.0.1:8080/']]);
    vi.advanceTimersByTime(15_000);
    expect(calls[1]).toEqual(['systemd-notify', ['--pid=42', '--no-block', 'WATCHDOG=1']]);
    vi.advanceTimersByTime(15_000);
    expect(calls).toHaveLength(3);
    n.close();
    n.stopping();
    vi.advanceTimersByTime(60_000);
    expect(calls.map(([, a]) => a[2])).toEqual(['--ready', 'WATCHDOG=1', 'WATCHDOG=1', 'STOPPING=1']);
  });

  it('leaves the watchdog to another process when WATCHDOG_PID names it', () => {
    vi.useFakeTimers();
    const calls: string[][] = [];
    const n = createSdNotify({ NOTIFY_SOCKET: '/x', WATCHDOG_USEC: '10000000', WATCHDOG_PID: '7' }, 42, (_c, args) => calls.push([...args]));
    n.ready('up');
    vi.advanceTimersByTime(60_000);
    expect(calls).toHaveLength(1);
  });
});
