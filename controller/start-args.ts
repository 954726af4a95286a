/** `npm start` options; flags beat environment variables, which beat the config file. */

export const USAGE = `Usage: npm start -- [--port N] [--data-dir DIR] [--config FILE] [--fast] [--dev]

  --port N         HTTP/ws port (env KIOSK_PORT; default from config, 8080)
  --data-dir DIR   where keys and the SQLite file live (env KIOSK_DATA_DIR; default ./data)
  --config FILE    config JSON (env KIOSK_CONFIG; default config/default.json)
  --fast           simulated devices without artificial delays (demos, load tests)
  --dev            development: with no sealing.centralPublicKey in the config, seal to the
                   dev receiver's key in ./dev-central (npm start makes it). Never on a real kiosk.
`;

export interface StartArgs {
  port?: number;
  dataDir?: string;
  config?: string;
  fast: boolean;
  dev: boolean;
  help: boolean;
  error?: string;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): StartArgs {
  const a: StartArgs = { fast: false, dev: false, help: false };
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
    else if (arg === '--dev') a.dev = true;
    else if (arg === '--port') portText(argv[++i]);
    else if (arg === '--data-dir') a.dataDir = argv[++i];
    else if (arg === '--config') a.config = argv[++i];
    else a.error = `unknown option "${arg ?? ''}"`;
  }
  return a;
}
