import { pino } from 'pino';
import { SimulatedClock } from 'xstate';
import WebSocket from 'ws';
import { createConsoleLink, type ConsoleLink } from '../../controller/ops/console-link';
import { createKioskServer, type KioskServer } from '../../controller/server/http';
import { createOpsChannel, type OpsChannel } from '../../controller/server/ops-channel';
import { createKioskRuntime, type KioskRuntime } from '../../controller/enrollment/runtime';
import type { FlowConfig } from '../../controller/config/schema';
import type { JsonValue } from '../../controller/store/audit-chain';
import { decodeKioskMessage, type OpsConsoleMessage, type OpsKioskMessage } from '../../domain/ops-channel/messages';
import { TEST_FLOW, createFakeMachine, emptyScript, settle, type Script } from './enrollment-harness';
import { failFast } from './fail-fast';
import { waitForValue } from './wait-for';

/**
 * Test helper: one kiosk's ops side (issue #14) on the statechart with scripted services and a
 * simulated clock: the real runtime, console link, ops channel and kiosk HTTP server (for the
 * /ws/ops upgrade), an in-memory audit trail, and a console client speaking the protocol.
 */

export const RIG_TOKEN = 'rig-console-token-0123456789abcdefghijkl';
export const RIG_KIOSK = 'KIOSK-RIG-01';

export interface OpsRig {
  readonly runtime: KioskRuntime;
  readonly link: ConsoleLink;
  readonly channel: OpsChannel;
  readonly server: KioskServer;
  readonly clock: SimulatedClock;
  readonly script: Script;
  /** ws://127.0.0.1:<port>/ws/ops */
  readonly url: string;
  readonly audits: Array<{ readonly kind: string; readonly detail: JsonValue }>;
  /** Let the statechart settle (its fakes answer in microtasks). */
  flush(): Promise<void>;
  advance(ms: number): Promise<void>;
  connect(token?: string | null): Promise<OpsClient>;
  close(): Promise<void>;
}

export interface OpsClient {
  readonly ws: WebSocket;
  readonly messages: OpsKioskMessage[];
  send(message: OpsConsoleMessage | Record<string, unknown> | string): void;
  /** The first message after `from` (an index in `messages`) that `pick` accepts. */
  next<T extends OpsKioskMessage>(pick: (m: OpsKioskMessage) => m is T, what: string, from?: number): Promise<T>;
  close(): void;
}

export const isMsg = {
  status: (m: OpsKioskMessage): m is Extract<OpsKioskMessage, { type: 'status' }> => m.type === 'status',
  hello: (m: OpsKioskMessage): m is Extract<OpsKioskMessage, { type: 'hello' }> => m.type === 'hello',
  result: (m: OpsKioskMessage): m is Extract<OpsKioskMessage, { type: 'result' }> => m.type === 'result',
  photo: (m: OpsKioskMessage): m is Extract<OpsKioskMessage, { type: 'photo' }> => m.type === 'photo',
  error: (m: OpsKioskMessage): m is Extract<OpsKioskMessage, { type: 'error' }> => m.type === 'error',
};

export async function startOpsRig(opts: { readonly token?: string | null; readonly heartbeatMs?: number; readonly flow?: FlowConfig } = {}): Promise<OpsRig> {
  const flow = opts.flow ?? TEST_FLOW;
  const clock = new SimulatedClock();
  const script = emptyScript();
  const runtime = createKioskRuntime(createFakeMachine(script), flow, { onFatal: failFast, clock });
  runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
  const log = pino({ level: 'silent' });
  const audits: Array<{ kind: string; detail: JsonValue }> = [];
  const audit = (kind: string, detail: JsonValue): void => void audits.push({ kind, detail });
  const link = createConsoleLink({
    kioskId: RIG_KIOSK,
    version: 'test',
    runtime,
    heartbeatMs: opts.heartbeatMs ?? 60_000,
    devices: () => ({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready', storage: 'ready' }),
    outbox: async () => ({ pending: 2, oldestPendingAgeS: 30 }),
    helpWaitMs: flow.helpWaitMs,
    audit,
    log,
  });
  const token = opts.token === null ? undefined : (opts.token ?? RIG_TOKEN);
  const channel = createOpsChannel({ link, token, kioskId: RIG_KIOSK, version: 'test', audit, log });
  const server = createKioskServer({ runtime, uiRoot: '/nonexistent', health: async () => ({}), log, ops: channel });
  const { port } = await server.listen(0, '127.0.0.1');
  const url = `ws://127.0.0.1:${port}/ws/ops`;
  const flush = () => settle(() => JSON.stringify(runtime.view()));
  const clients: OpsClient[] = [];
  return {
    runtime,
    link,
    channel,
    server,
    clock,
    script,
    url,
    audits,
    flush,
    async advance(ms) {
      clock.increment(ms);
      await flush();
    },
    async connect(given = RIG_TOKEN) {
      const c = await connectOps(url, given);
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      channel.close();
      link.stop();
      await server.close();
      runtime.stop();
    },
  };
}

/** A console's connection to a kiosk's ops channel; rejects with the refusal's status when refused. */
export function connectOps(url: string, token: string | null): Promise<OpsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
    const messages: OpsKioskMessage[] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (data, isBinary) => {
      const d = decodeKioskMessage(Buffer.isBuffer(data) ? data : Buffer.from(String(data)), isBinary);
      if (!d.ok) throw new Error(`the kiosk sent a message the protocol refuses: ${d.reason}`);
      messages.push(d.message);
      for (const w of [...waiters]) w();
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
        async next(pick, what, from = 0) {
          return waitForValue(() => messages.slice(from).find(pick), { what });
        },
        close: () => ws.close(),
      }),
    );
  });
}
