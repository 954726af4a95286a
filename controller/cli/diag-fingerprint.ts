/**
 * `diag fingerprint`: a technician's check of a fingerprint module. Opens the module, reads its
 * parameters, captures one image and scores it. `--json` prints one object for scripts.
 */
import { parseArgs } from 'node:util';
import { fingerprintQuality } from '../capture/fingerprint-quality';
import { R30xDriver } from '../../drivers/fingerprint/r30x/driver';
import { createSimulatedR30x } from '../../drivers/fingerprint/r30x/simulated';
import { silentLog } from '../../drivers/log';
import type { CliCommand, CliIO } from './io';

const HELP = `usage: diag fingerprint --port PATH [--baud B] [--json] [--wait-ms MS] [--raise-baud]
       diag fingerprint --sim [--model R307|R503] [--json]

Opens an R30x-family fingerprint module (R307, R503…), reads its parameters, captures one
image and scores its quality (0-100).

  --port PATH     serial port of the module (e.g. /dev/ttyUSB0, /dev/serial0)
  --baud B        baud the module is at (default 57600, the factory setting)
  --wait-ms MS    how long to wait for a finger (default 10000)
  --raise-baud    switch the module to 115200 baud first (halves image upload time)
  --sim           use the built-in simulator instead of a module
  --json          print one JSON object instead of text
Exit codes: 0 ok, 1 module fault or no reply, 2 usage error, 3 no finger placed.`;

/** Two handshake tries must fit in the 2 s a technician is promised an answer within. */
const HANDSHAKE_MS = 900;

interface Report {
  ok: boolean;
  port: string;
  model?: string;
  baud?: number;
  packetSize?: number;
  libraryCapacity?: number;
  securityLevel?: number;
  image?: { width: number; height: number };
  quality?: number;
  qualityParts?: { foreground: number; coherence: number; contrast: number; frequencyValid: number };
  timings: Record<string, number>;
  error?: string;
  advice?: string;
}

function print(io: CliIO, json: boolean, r: Report): void {
  if (json) {
    io.out(JSON.stringify(r) + '\n');
    return;
  }
  if (!r.ok) {
    io.err(`fingerprint: FAILED on ${r.port}: ${r.error ?? 'unknown error'}\n`);
    if (r.advice) io.err(`  ${r.advice}\n`);
    return;
  }
  const t = Object.entries(r.timings).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
  io.out(
    [
      `fingerprint: OK on ${r.port}`,
      `  module          ${r.model}`,
      `  baud            ${r.baud}`,
      `  packet size     ${r.packetSize} bytes`,
      `  library         ${r.libraryCapacity} templates, security level ${r.securityLevel}`,
      `  image           ${r.image?.width} x ${r.image?.height}`,
      `  quality         ${r.quality}/100`,
      `  timings (ms)    ${t}`,
    ].join('\n') + '\n',
  );
}

const round = (timings: Readonly<Record<string, number>>): Record<string, number> =>
  Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 10) / 10]));

export const diagFingerprintCommand: CliCommand = async (argv, io) => {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        baud: { type: 'string', default: '57600' },
        json: { type: 'boolean', default: false },
        sim: { type: 'boolean', default: false },
        model: { type: 'string', default: 'R307' },
        'wait-ms': { type: 'string', default: '10000' },
        'raise-baud': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    io.out(HELP + '\n');
    return 0;
  }
  const baud = Number(values.baud);
  const waitMs = Number(values['wait-ms']);
  if ((!values.port && !values.sim) || !Number.isFinite(baud) || baud <= 0 || !Number.isFinite(waitMs)) {
    io.err(`diag fingerprint: give --port PATH (or --sim) and a numeric --baud\n${HELP}\n`);
    return 2;
  }
  const model = values.model === 'R503' ? 'R503' : 'R307';
  const driverOpts = {
    timeouts: { handshakeMs: HANDSHAKE_MS },
    ...(values['raise-baud'] ? { raiseBaudTo: 115200 } : {}),
  };
  // The report below says what went wrong; the driver's own log lines would only repeat it.
  const driver = values.sim
    ? createSimulatedR30x({ model, baud, driver: driverOpts, log: silentLog }).driver
    : new R30xDriver({ port: { path: values.port ?? '', baudRate: baud }, log: silentLog, ...driverOpts });
  const port = values.sim ? `simulator (${model})` : (values.port ?? '');
  const json = values.json;

  const status = await driver.open();
  if (status.state !== 'ready') {
    const fault = driver.fault();
    print(io, json, {
      ok: false,
      port,
      timings: round(driver.timingsOfOpen()),
      error: fault?.message ?? status.detail ?? 'module did not open',
      advice:
        fault?.reason === 'timeout'
          ? `No module answered within ${(2 * HANDSHAKE_MS) / 1000} s. Check the cable (TX/RX crossed, 3.3 V, ground), that ${port} is the right port, and the baud rate (try --baud 57600, 115200 or 9600).`
          : `Check that ${port} exists and that no other program has it open.`,
    });
    await driver.close();
    return 1;
  }
  const info = driver.info();
  if (!json) io.err(`place a finger on the sensor (waiting up to ${Math.round(waitMs / 1000)} s)…\n`);
  const shot = await driver.capture({ waitMs });
  const base: Report = {
    ok: false,
    port,
    ...(info ?? {}),
    timings: round(driver.timingsOfOpen()),
  };
  if (shot.kind !== 'image') {
    print(io, json, {
      ...base,
      error: shot.kind === 'no-finger' ? `no finger placed within ${waitMs} ms` : shot.message,
      advice: shot.kind === 'no-finger' ? 'Press a finger flat on the window and run again.' : 'Check the cable and run again.',
    });
    await driver.close();
    return shot.kind === 'no-finger' ? 3 : 1;
  }
  const started = performance.now();
  const q = fingerprintQuality(shot.image);
  const scoreMs = performance.now() - started;
  print(io, json, {
    ...base,
    ok: true,
    image: { width: shot.image.width, height: shot.image.height },
    quality: q.score,
    qualityParts: { foreground: q.foreground, coherence: q.coherence, contrast: q.contrast, frequencyValid: q.frequencyValid },
    timings: round({ ...driver.timingsOfOpen(), ...shot.timings, quality: scoreMs }),
  });
  await driver.close();
  return 0;
};
