import path from 'node:path';
import { pino } from 'pino';
import { loadConfigFile } from './config/load';
import type { KioskConfig } from './config/schema';
import { resolveSealingKey, StartError, startKiosk } from './kiosk';
import { limitNativeMemory } from './native-memory';
import { createSdNotify } from './ops/sd-notify';
import { parseArgs, USAGE } from './start-args';
import { PACKAGE_ROOT } from '../domain/package-root';

/**
 * `npm start`: load config, start the kiosk, say where to open it, and stop cleanly on SIGINT /
 * SIGTERM (systemd). `--port` / `--data-dir` / `--config` beat KIOSK_PORT / KIOSK_DATA_DIR /
 * KIOSK_CONFIG, which beat the config file. KIOSK_SCREEN_URL_FILE says where the launcher finds
 * the screen URL (default <data dir>/screen-url).
 *
 * The screen URL carries this start's secret (issue #11). A developer gets it on the terminal;
 * under systemd stdout is the journal, which others may read, so then only the file has it.
 * It is never logged, nor put in systemd's status line.
 */

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
  const root = PACKAGE_ROOT;
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
  limitNativeMemory();
  // A statechart bug must not leave the citizen on a frozen screen: exit, and systemd restarts
  // the kiosk (nothing acknowledged is lost: commits are durable).
  const sealing = await resolveSealingKey(config, { dev: args.dev, devCentralDir: path.join(root, 'dev-central') });
  if (!sealing.ok) {
    process.stderr.write(`kiosk: ${sealing.message}\n`);
    return 78; // EX_CONFIG: a kiosk that cannot seal for the centre must not take biometrics
  }
  if (sealing.dev) log.warn({ centralPublicKey: sealing.path }, 'DEVELOPMENT MODE: sealing to the dev receiver key in dev-central/. Never run a real kiosk like this.');
  const kiosk = await startKiosk({
    config: { ...config, sealing: { ...config.sealing, centralPublicKey: sealing.path } },
    log,
    onFatal: () => setImmediate(() => process.exit(70)),
    ...(process.env.KIOSK_SCREEN_URL_FILE ? { screenUrlFile: process.env.KIOSK_SCREEN_URL_FILE } : {}),
  });
  log.info({ url: kiosk.url, screenUrlFile: kiosk.screenUrlFile, dataDir: kiosk.dataDir }, 'kiosk ready: the screen URL is in the screen-url file');
  const toJournal = process.env.JOURNAL_STREAM !== undefined;
  process.stdout.write(
    toJournal
      ? `\n  Kiosk ready on ${kiosk.url} — the kiosk screen opens the URL in ${kiosk.screenUrlFile}\n\n`
      : `\n  Kiosk ready — open ${kiosk.screenUrl} in a browser (Ctrl+C to stop)\n  (it is the kiosk's screen: one window at a time; the link changes at every start)\n\n`,
  );
  const systemd = createSdNotify(process.env, process.pid);
  systemd.ready(`kiosk ${config.kioskId} ready on ${kiosk.url}`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  systemd.stopping();
  systemd.close();
  await kiosk.stop();
  return 0;
}

main().then(
  (code) => setImmediate(() => process.exit(code)),
  (err: unknown) => {
    // A reason a technician must fix (a corrupt database kept aside, a data directory that cannot
    // be written): the message alone, and its own exit code.
    if (err instanceof StartError) {
      process.stderr.write(`kiosk: ${err.message}\n`);
      setImmediate(() => process.exit(err.exitCode));
      return;
    }
    process.stderr.write(`kiosk: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    setImmediate(() => process.exit(1));
  },
);
