import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfigFile } from './config/load';
import type { KioskConfig } from './config/schema';
import { startKiosk } from './kiosk';

/**
 * `npm start`: load config, start the kiosk, say where to open it, and stop cleanly on SIGINT /
 * SIGTERM (systemd). `--port` / `--data-dir` / `--config` beat KIOSK_PORT / KIOSK_DATA_DIR /
 * KIOSK_CONFIG, which beat the config file.
 */

const USAGE = `Usage: npm start -- [--port N] [--data-dir DIR] [--config FILE] [--fast]

  --port N         HTTP/ws port (env KIOSK_PORT; default from config, 8080)
  --data-dir DIR   where keys and the SQLite file live (env KIOSK_DATA_DIR; default ./data)
  --config FILE    config JSON (env KIOSK_CONFIG; default config/default.json)
  --fast           simulated devices without artificial delays (demos, load tests)
`;

interface Args {
  port?: number;
  dataDir?: string;
  config?: string;
  fast: boolean;
  help: boolean;
  error?: string;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Args {
  const a: Args = { fast: false, help: false };
  const portText = (v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65_535) a.error = `port must be a whole number 0–65535, got "${v ?? ''}"`;
    else a.port = n;
  };
  if (env.KIOSK_PORT) portText(env.KIOSK_PORT);
  if (env.KIOSK_DATA_DIR) a.dataDir = env.KIOSK_DATA_DIR;
  if (env.KIOSK_CONFIG) a.config = env.KIOSK_CONFIG;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') a.help = true;
    else if (arg === '--fast') a.fast = true;
    else if (arg === '--port') portText(argv[++i]);
    else if (arg === '--data-dir') a.dataDir = argv[++i];
    else if (arg === '--config') a.config = argv[++i];
    else a.error = `unknown option "${arg ?? ''}"`;
  }
  return a;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), process.env);
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.error) {
    process.stderr.write(`kiosk: ${args.error}\n\n${USAGE}`);
    return 2;
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const configFile = args.config ?? path.join(root, 'config', 'default.json');
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) {
    process.stderr.write(`kiosk: the configuration is not valid (${configFile}):\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}\n`);
    return 78; // EX_CONFIG: systemd will not hammer-restart a kiosk with a broken config
  }
  const config: KioskConfig = {
    ...loaded.config,
    ...(args.dataDir ? { dataDir: args.dataDir } : {}),
    server: { ...loaded.config.server, ...(args.port !== undefined ? { port: args.port } : {}) },
    simulation: { ...loaded.config.simulation, ...(args.fast ? { realisticTiming: false } : {}) },
  };
  const log = pino({ name: 'cccd-kiosk', level: process.env.LOG_LEVEL ?? 'info' });
  const kiosk = await startKiosk({ config, log });
  log.info({ url: kiosk.url, dataDir: kiosk.dataDir }, `kiosk ready: open ${kiosk.url}`);
  process.stdout.write(`\n  Kiosk ready — open ${kiosk.url} in a browser (Ctrl+C to stop)\n\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await kiosk.stop();
  return 0;
}

main().then(
  (code) => setImmediate(() => process.exit(code)),
  (err: unknown) => {
    process.stderr.write(`kiosk: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    setImmediate(() => process.exit(1));
  },
);
