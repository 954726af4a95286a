import { spawn } from 'node:child_process';

/**
 * systemd's notify protocol (Type=notify, WatchdogSec=): tell systemd when the kiosk is ready,
 * ping the watchdog while the event loop is alive, and say when it is stopping. Node has no
 * unix-datagram sockets, so the messages go through `systemd-notify --pid=<our pid>`, which
 * attributes them to this process (NotifyAccess=all in the unit). Outside systemd
 * (NOTIFY_SOCKET unset) every call is a no-op.
 */

export type Spawner = (command: string, args: readonly string[]) => void;

export interface SdNotify {
  ready(status: string): void;
  status(text: string): void;
  stopping(): void;
  /** Stop the watchdog pings (on shutdown). */
  close(): void;
}

const defaultSpawner: Spawner = (command, args) => {
  const child = spawn(command, [...args], { stdio: 'ignore' });
  // A missing systemd-notify must not take the kiosk down; systemd will notice the silence.
  child.on('error', () => undefined);
};

export function createSdNotify(env: NodeJS.ProcessEnv, pid: number, spawner: Spawner = defaultSpawner): SdNotify {
  if (!env.NOTIFY_SOCKET) return { ready: () => undefined, status: () => undefined, stopping: () => undefined, close: () => undefined };
  // --no-block: systemd-notify 252+ otherwise follows each message with a barrier and waits for
  // the manager to take it; a busy PID 1 must not hold the kiosk's notifications back (they
  // are fire-and-forget here: a missed ping is caught by the next one).
  const send = (...messages: string[]) => spawner('systemd-notify', [`--pid=${pid}`, '--no-block', ...messages]);
  let timer: ReturnType<typeof setInterval> | undefined;
  const watchdogUsec = Number(env.WATCHDOG_USEC);
  const watchdogPid = env.WATCHDOG_PID ? Number(env.WATCHDOG_PID) : pid;
  return {
    ready(status) {
      send('--ready', `--status=${status}`);
      // Ping at half the period systemd asked for: a stalled event loop misses two and is restarted.
      if (Number.isFinite(watchdogUsec) && watchdogUsec > 0 && watchdogPid === pid) {
        timer = setInterval(() => send('WATCHDOG=1'), Math.max(1000, watchdogUsec / 2000));
        timer.unref();
      }
    },
    status(text) {
      send(`--status=${text}`);
    },
    stopping() {
      send('STOPPING=1');
    },
    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
