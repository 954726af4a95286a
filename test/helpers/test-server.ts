import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createKioskRuntime, type KioskRuntime } from '../../controller/enrollment/runtime';
import { TEST_FLOW, createFakeMachine, emptyScript } from './enrollment-harness';
import { createKioskServer, type KioskServer, type KioskServerDeps } from '../../controller/server/http';
import { failFast } from './fail-fast';

/**
 * The kiosk's HTTP/ws server on a loopback port, in front of the real statechart with scripted
 * services (controller/enrollment/test-harness), and a log that the test can read.
 */

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface TestServer {
  readonly server: KioskServer;
  readonly runtime: KioskRuntime;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The URL the launcher opens: with the screen's secret. */
  readonly screenUrl: string;
  /** Everything logged, parsed. */
  readonly logs: LogLine[];
  close(): Promise<void>;
}

export type TestServerOptions = Partial<Omit<KioskServerDeps, 'runtime' | 'log'>>;

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
  runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const log = pino({ level: 'debug' }, sink);
  const server = createKioskServer({ uiRoot: '/nonexistent', health: async () => ({ status: 'ok' }), ...opts, runtime, log });
  const { port, screenUrl } = await server.listen(0, '127.0.0.1');
  return {
    server,
    runtime,
    port,
    origin: `http://127.0.0.1:${port}`,
    screenUrl,
    logs,
    async close() {
      await server.close();
      runtime.stop();
    },
  };
}

/** pino's level numbers. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
