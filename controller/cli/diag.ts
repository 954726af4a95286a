import path from 'node:path';
import { pino } from 'pino';
import type { Device } from '../../drivers/types';
import { createFaceDetector, type FaceDetector } from '../capture/face-detector';
import { buildDevices } from '../devices/factory';
import { panelTesterOf } from '../tech/panel-tester';
import { runSelfTest, SELF_TEST_WAITS, type SelfTestKit } from '../tech/self-test';
import { readTechTokenFile, TECH_TOKEN_FILE } from '../tech/token-file';
import type { CliCommand, CliIO } from './io';
import { KIOSK_FILE_OPTIONS, resolveKioskFiles, parseKioskArgs, type KioskFileArgs } from './kiosk-files';
import { openTechSession, type TechSession } from './tech-client';
import type { Bilingual, Lang } from '../../domain/language';
import { TECH_DEVICES, type SelfTestResult, type ServiceState, type TechDevice, type TechStatus } from '../../domain/tech-channel/messages';

/**
 * `diag [all|fingerprint|scanner|camera|printer|panel]` (issue #13): the service screen's
 * self-tests from a terminal. When the kiosk runs, through its tech channel (the kiosk is taken
 * out of service for the tests and put back after, unless it already was); when none runs, by
 * opening the configured devices directly. A table, or JSON with `ok` per device; exit 1 when
 * any failed, naming the next thing to check.
 */

export const DIAG_HELP = `usage: diag <all|fingerprint|scanner|camera|printer|panel> [--json] [options]

Runs the service screen's self-tests: capture a fingerprint and score it, read one code, take
a photo and run the photo checks, print a test page, blink each light and read the button, the
presence sensor and the door switch.

When the kiosk is running, the tests run inside it, through its service channel: the kiosk is
taken out of service for them (a citizen in a session finishes first: the command says so and
stops) and put back afterwards. It is unlocked with the token the kiosk writes to its data
directory (run as the kiosk's user, e.g. sudo -u cccd-kiosk), or with the service PIN from
KIOSK_TECH_PIN or --pin. When no kiosk is running, the devices in the config are opened directly.

  --json                 one JSON object: {"ok", "via", "devices": {"<device>": {"ok", …}}}
  --lang vi|en           the table's language (default vi)
  --pin PIN              the service PIN (better: KIOSK_TECH_PIN, which ps does not show)
  --url URL              the kiosk's service address, e.g. http://10.0.0.7:8081 (tech.listen)
  --direct               open the devices directly even if a kiosk answers (stop it first)
  --keep-out-of-service  leave the kiosk out of service after the tests
${KIOSK_FILE_OPTIONS}

Exit codes: 0 every device ok, 1 a device failed (the table says what to check next),
2 usage, 3 the tests could not run (wrong PIN, a citizen is using the kiosk).

The older forms still work: diag fingerprint --port PATH | --sim, diag scanner --port PATH |
--hid VID:PID | --sim, diag printer --port PATH | --sim (add --help to one of them for its options).
`;

interface Args extends KioskFileArgs {
  json: boolean;
  lang: Lang;
  pin?: string;
  url?: string;
  direct: boolean;
  keep: boolean;
}

function parse(argv: readonly string[]): Args | string | { readonly help: true } {
  const a = parseKioskArgs(argv, { json: 'boolean', direct: 'boolean', 'keep-out-of-service': 'boolean', pin: 'string', url: 'string', lang: 'string' });
  if (a.kind === 'help') return { help: true };
  if (a.kind === 'error') return a.message;
  const { pin, url, lang = 'vi' } = a.strings;
  if (url !== undefined && !/^https?:\/\//.test(url)) return '--url needs the service address, http://<kiosk>:<port>';
  if (lang !== 'vi' && lang !== 'en') return '--lang is vi or en';
  return {
    ...a.files,
    json: a.flags.json === true,
    direct: a.flags.direct === true,
    keep: a.flags['keep-out-of-service'] === true,
    lang,
    ...(pin !== undefined ? { pin } : {}),
    ...(url !== undefined ? { url } : {}),
  };
}

/** What the CLI prints of a result: everything but the images. */
function printable(r: SelfTestResult): Record<string, unknown> {
  const { fingerprint, photo, ...rest } = r;
  return {
    ...rest,
    ...(fingerprint ? { fingerprint: { score: fingerprint.score, threshold: fingerprint.threshold, width: fingerprint.width, height: fingerprint.height } } : {}),
    ...(photo ? { photo: { width: photo.width, height: photo.height, faceFound: photo.faceFound, checks: photo.checks } } : {}),
  };
}

const WORD: Readonly<Record<Lang, { ok: string; failed: string; next: string; via: Record<'kiosk' | 'direct', string> }>> = {
  vi: { ok: 'ĐẠT', failed: 'LỖI', next: 'kiểm tra tiếp', via: { kiosk: 'qua ki-ốt đang chạy', direct: 'mở trực tiếp thiết bị (ki-ốt không chạy)' } },
  en: { ok: 'OK', failed: 'FAIL', next: 'check next', via: { kiosk: 'through the running kiosk', direct: 'devices opened directly (no kiosk running)' } },
};

function report(io: CliIO, args: Args, via: 'kiosk' | 'direct', results: readonly SelfTestResult[], kioskId: string | undefined): number {
  const ok = results.every((r) => r.ok);
  if (args.json) {
    io.out(`${JSON.stringify({ ok, via, ...(kioskId ? { kioskId } : {}), devices: Object.fromEntries(results.map((r) => [r.device, printable(r)])) })}\n`);
  } else {
    const w = WORD[args.lang];
    const width = Math.max(...results.map((r) => r.device.length));
    const lines = [`diag ${kioskId ?? ''} (${w.via[via]})`.replace('  ', ' ')];
    for (const r of results) {
      lines.push(`  ${r.device.padEnd(width)}  ${(r.ok ? w.ok : w.failed).padEnd(4)}  ${r.summary[args.lang]}`);
      if (r.next) lines.push(`  ${''.padEnd(width)}        ${w.next}: ${r.next[args.lang]}`);
      if (!r.ok && r.detail) lines.push(`  ${''.padEnd(width)}        (${r.detail})`);
    }
    io.out(`${lines.join('\n')}\n`);
  }
  const failed = results.filter((r) => !r.ok);
  // The next thing to check, on stderr too: what a script's log shows.
  for (const r of failed) io.err(`diag: ${r.device} failed; ${WORD.en.next}: ${(r.next ?? r.summary).en}\n`);
  return ok ? 0 : 1;
}

function couldNotRun(io: CliIO, args: Args, message: Bilingual | string): number {
  const text = typeof message === 'string' ? message : `${message[args.lang]}${args.lang === 'vi' ? ` / ${message.en}` : ''}`;
  if (args.json) io.out(`${JSON.stringify({ ok: false, error: typeof message === 'string' ? message : message.en })}\n`);
  io.err(`diag: ${text}\n`);
  return 3;
}

// ───────────── through the running kiosk ─────────────

async function throughKiosk(io: CliIO, args: Args, session: TechSession, credential: { readonly token: string } | { readonly pin: string }, devices: readonly TechDevice[]): Promise<number> {
  const long = 180_000;
  await session.ask({ type: 'hello' }, (m) => (m.type === 'access' ? true : undefined), 'the kiosk to answer', 10_000);
  const unlocked = await session.ask(
    'token' in credential ? { type: 'unlock-token', token: credential.token } : { type: 'unlock', pin: credential.pin },
    (m) => (m.type === 'unlock-refused' ? { ok: false as const, message: m.message } : m.type === 'access' && m.access.unlocked ? { ok: true as const } : undefined),
    'the kiosk to check the PIN',
    30_000,
  );
  if (!unlocked.ok) return couldNotRun(io, args, unlocked.message);
  const statusNow = (msg: Parameters<TechSession['ask']>[0], what: string, until: (s: TechStatus) => boolean = () => true) =>
    session.ask(msg, (m) => (m.type === 'status' && until(m.status) ? m.status : undefined), what, 15_000);
  let status = await statusNow({ type: 'status' }, 'the kiosk status');
  const kioskId = status.kioskId;
  const settled = (s: ServiceState): boolean => s === 'maintenance' || s === 'maintenance-pending';
  let turnedOn = false;
  if (status.service === 'maintenance-pending') return couldNotRun(io, args, { vi: 'Ki-ốt đang chờ một công dân làm xong để ngừng phục vụ; chạy lại lệnh khi họ xong.', en: 'The kiosk is waiting for a citizen to finish before going out of service; run this again when they have.' });
  if (status.service !== 'maintenance') {
    turnedOn = true;
    status = await statusNow({ type: 'service', on: true }, 'the kiosk to go out of service', (s) => settled(s.service));
    if (status.service === 'maintenance-pending') {
      await statusNow({ type: 'service', on: false }, 'the kiosk to go back in service', (s) => !settled(s.service));
      return couldNotRun(io, args, {
        vi: 'Một công dân đang dùng ki-ốt; không kiểm tra thiết bị lúc này. Chạy lại lệnh khi họ làm xong.',
        en: 'A citizen is using the kiosk; devices are not tested now. Run this again when they have finished.',
      });
    }
  }
  const results: SelfTestResult[] = [];
  try {
    for (const device of devices) {
      const answer = await session.ask(
        { type: 'self-test', device },
        (m) => {
          if (m.type === 'self-test-started' && m.device === device && m.prompt && !args.json) io.err(`${device}: ${m.prompt[args.lang]}\n`);
          if (m.type === 'self-test' && m.result.device === device) return { ok: true as const, result: m.result };
          if (m.type === 'error') return { ok: false as const, message: m.message };
          return undefined;
        },
        `the ${device} self-test`,
        long,
      );
      if (!answer.ok) return couldNotRun(io, args, answer.message);
      results.push(answer.result);
    }
  } finally {
    if (turnedOn && !args.keep) await statusNow({ type: 'service', on: false }, 'the kiosk to go back in service', (s) => !settled(s.service)).catch(() => undefined);
    session.ask({ type: 'lock' }, (m) => (m.type === 'access' ? true : undefined), 'the lock', 5_000).catch(() => undefined).finally(() => session.close());
  }
  return report(io, args, 'kiosk', results, kioskId);
}

// ───────────── the devices directly ─────────────

async function direct(io: CliIO, args: Args, config: ReturnType<typeof resolveKioskFiles> & { ok: true }, devices: readonly TechDevice[]): Promise<number> {
  const log = pino({ level: 'silent' });
  const built = await buildDevices(config.config, log);
  const set = built.devices;
  const panel = panelTesterOf(set.gpio);
  const of: Readonly<Record<TechDevice, Device>> = { fingerprint: set.fingerprint, scanner: set.document, camera: set.camera, printer: set.printer, panel: set.gpio };
  const opened = devices.map((d) => of[d]);
  await Promise.all(opened.map((d) => d.open().catch(() => undefined)));
  let detector: Promise<FaceDetector> | undefined;
  const kit: SelfTestKit = {
    fingerprint: set.fingerprint,
    scanner: set.document,
    camera: set.camera,
    printer: set.printer,
    panel,
    detector: () => (detector ??= createFaceDetector()),
    kioskId: config.config.kioskId,
    fingerThreshold: config.config.flow.fingerQualityThreshold,
    waits: { ...SELF_TEST_WAITS, fingerMs: config.config.flow.fingerWaitMs },
    ...(built.sim ? { sim: built.sim } : {}),
  };
  const results: SelfTestResult[] = [];
  try {
    for (const device of devices) {
      results.push(
        await runSelfTest(device, kit, {
          prompt: (p) => {
            if (!args.json) io.err(`${device}: ${p[args.lang]}\n`);
          },
        }),
      );
    }
  } finally {
    panel.stop();
    await Promise.all(opened.map((d) => d.close().catch(() => undefined)));
  }
  return report(io, args, 'direct', results, config.config.kioskId);
}

// ───────────── the command ─────────────

export function diagCommand(target: 'all' | TechDevice): CliCommand {
  return async (argv, io) => {
    const args = parse(argv);
    if (typeof args === 'string') {
      io.err(`diag: ${args}\n\n${DIAG_HELP}`);
      return 2;
    }
    if ('help' in args) {
      io.out(DIAG_HELP);
      return 0;
    }
    const files = resolveKioskFiles(args);
    if (!files.ok) {
      io.err(`diag: ${files.message}\n`);
      return 2;
    }
    const devices = target === 'all' ? TECH_DEVICES : [target];
    if (args.direct) return direct(io, args, files, devices);

    const tokenFile = await readTechTokenFile(path.join(files.dataDir, TECH_TOKEN_FILE));
    // Where `npm start` listens: the token file says; else KIOSK_PORT or the config, as npm start decides.
    const port = process.env.KIOSK_PORT || String(files.config.server.port);
    const origin = args.url ?? (tokenFile.kind === 'ok' ? tokenFile.content.url : `http://127.0.0.1:${port}`);
    const opened = await openTechSession(origin);
    if (!opened.ok) {
      if (opened.running) return couldNotRun(io, args, opened.message);
      if (args.url) return couldNotRun(io, args, `no kiosk answers at ${args.url} (${opened.message}): check the address and that tech.listen is set on the kiosk`);
      return direct(io, args, files, devices);
    }
    const pin = args.pin ?? process.env.KIOSK_TECH_PIN;
    // The token is this machine's way in; a kiosk across the network takes the PIN only.
    const credential = pin ? { pin } : tokenFile.kind === 'ok' && !args.url ? { token: tokenFile.content.token } : undefined;
    if (!credential) {
      opened.session.close();
      const why = tokenFile.kind === 'unreadable' ? tokenFile.message : `no token file in ${files.dataDir}`;
      return couldNotRun(io, args, `the kiosk is running; give the service PIN (KIOSK_TECH_PIN=… or --pin) or run as the kiosk's user (${why})`);
    }
    try {
      return await throughKiosk(io, args, opened.session, credential, devices);
    } catch (err) {
      opened.session.close();
      return couldNotRun(io, args, err instanceof Error ? err.message : String(err));
    }
  };
}

/**
 * `diag fingerprint|scanner|printer` with the older flags (a port, the simulator) runs the older
 * command unchanged; without them, the self-test above.
 */
export function diagOrLegacy(target: TechDevice, legacyFlags: readonly string[], legacy: () => Promise<CliCommand>): CliCommand {
  return async (argv, io) => {
    const isLegacy = argv.some((a) => legacyFlags.some((f) => a === f || a.startsWith(`${f}=`)));
    return isLegacy ? (await legacy())(argv, io) : diagCommand(target)(argv, io);
  };
}
