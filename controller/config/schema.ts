import { z } from 'zod';
import { POS_DATA_OFFSET, POS_LENGTH_OFFSET, POS_MAX_DATA, POS_MORE_FLAG_OFFSET } from '../../drivers/document/hid/protocol';
import { DEFAULT_WIRING, PI_HEADER_WIRING, type InputWiring, type PanelWiring } from '../../drivers/gpio/firmata/wiring';
import { LIVENESS_WINDOW } from '../capture/face-liveness';
import { PIN_HASH_PATTERN } from '../tech/pin';

/**
 * The one schema for config/*.json (docs/architecture.md, config is data). Every key has a
 * default so a kiosk starts from an empty file; every bound is a real-world bound (a timeout of 0
 * is allowed only where tests need it, never negative).
 */

const ms = z.number().int().min(0).max(3_600_000);

const serialPort = z.strictObject({
  path: z.string().min(1),
  baud: z.number().int().positive().default(57_600),
});

const sim = z.strictObject({ driver: z.literal('sim') });

export const fingerprintDevice = z.discriminatedUnion('driver', [
  sim.extend({ model: z.enum(['R307', 'R503']).default('R307'), packetSize: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)]).default(128) }),
  z.strictObject({ driver: z.literal('r30x'), port: serialPort, address: z.number().int().min(0).max(0xffffffff).default(0xffffffff), password: z.number().int().min(0).max(0xffffffff).default(0), raiseBaud: z.boolean().default(true) }),
]);

/**
 * A USB vendor or product ID: as `lsusb` prints it ("0c2e", "0x0c2e"), or as a number (3118).
 * Absent or malformed is an error that says where to read it.
 */
const usbId = (which: 'vendor' | 'product') => {
  const where = `the scanner's USB ${which} ID, as \`lsusb\` shows it ${which === 'vendor' ? 'before' : 'after'} the colon`;
  return z.unknown().transform((v, ctx): number => {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff) return v;
    if (typeof v === 'string' && /^(0x)?[0-9a-f]{1,4}$/i.test(v)) return Number.parseInt(v.replace(/^0x/i, ''), 16);
    ctx.addIssue({
      code: 'custom',
      message: v === undefined ? `required: ${where} (e.g. "0c2e")` : `${where}: 4 hex digits such as "0c2e", or a number 0–65535; got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  });
};

/** Byte offsets in a HID report; reports are at most 64 bytes on full-speed USB, 255 allowed for others. */
const reportOffset = z.number().int().min(0).max(255);

/**
 * A HID-POS scanner whose Scanned Data Report is laid out differently from the Honeywell/Zebra
 * layout (drivers/document/hid/protocol.ts): each key overrides one offset.
 */
const posLayout = z
  .strictObject({
    reportId: z.number().int().min(0).max(255).optional(),
    lengthOffset: reportOffset.optional(),
    dataOffset: reportOffset.optional(),
    maxData: z.number().int().min(1).max(255).optional(),
    moreFlagOffset: reportOffset.optional(),
  })
  .superRefine((l, ctx) => {
    const from = l.dataOffset ?? POS_DATA_OFFSET;
    const to = from + (l.maxData ?? POS_MAX_DATA);
    const inData = (at: number) => at >= from && at < to;
    if (inData(l.lengthOffset ?? POS_LENGTH_OFFSET)) ctx.addIssue({ code: 'custom', path: ['lengthOffset'], message: `falls inside the data bytes ${from}–${to - 1}: the length byte must be outside them` });
    if (inData(l.moreFlagOffset ?? POS_MORE_FLAG_OFFSET)) ctx.addIssue({ code: 'custom', path: ['moreFlagOffset'], message: `falls inside the data bytes ${from}–${to - 1}: the "more follows" byte must be outside them` });
  });

export const documentDevice = z.discriminatedUnion('driver', [
  /** `interface`: which scanner the simulator is (default serial): a serial one, or USB HID as keyboard wedge or HID-POS. */
  sim.extend({ interface: z.enum(['serial', 'hid-keyboard', 'hid-pos']).optional() }),
  z.strictObject({ driver: z.literal('serial'), port: serialPort, suffix: z.enum(['cr', 'lf', 'crlf', 'none']).default('cr') }),
  z.strictObject({
    driver: z.literal('hid'),
    vendorId: usbId('vendor'),
    productId: usbId('product'),
    /**
     * How the scanner speaks HID (its own setting, scanned from its programming guide):
     * `keyboard` (the default: it types the code and Enter) or `pos` (HID-POS Scanned Data
     * Reports: UTF-8 untouched, nothing typed into other windows).
     */
    mode: z.enum(['keyboard', 'pos']).optional(),
    /** Only for `mode: "pos"`, and only for a scanner whose report layout differs from the usual one. */
    pos: posLayout.optional(),
  }).superRefine((c, ctx) => {
    if (c.pos !== undefined && c.mode !== 'pos') ctx.addIssue({ code: 'custom', path: ['pos'], message: 'a HID-POS report layout is only used with "mode": "pos"' });
  }),
]);

/**
 * The camera (docs/facts/camera.md): the simulator, `rpicam-vid` (the current camera stack:
 * Raspberry Pi OS Bookworm, every Pi 5), or `raspivid` through pi-camera-connect (the legacy
 * stack; "pi" is its first name, kept). The stream runs at the still resolution.
 */
const cameraStream = {
  /** Bounded by the largest Pi camera sensors (12 MP: 4608 × 2592, 4056 × 3040). */
  width: z.number().int().min(64).max(4608).default(1280),
  height: z.number().int().min(64).max(4608).default(960),
  fps: z.number().int().min(1).max(60).default(15),
  /** No frame for this long → the camera is in fault (the frame watchdog). */
  stallMs: z.number().int().min(200).max(60_000).default(2000),
  /** How long a start may take to the first frame (the camera programs take ~0.5–2 s). */
  startTimeoutMs: z.number().int().min(500).max(120_000).default(10_000),
};
const LEGACY_PROGRAM = 'raspivid';
/** rpicam-vid options the driver sets itself: given again they would break the stream on stdout. */
const OWN_RPICAM_ARGS = ['-o', '--output', '--codec', '-t', '--timeout', '--frames', '--segment', '--split', '--circular', '-k', '--keypress', '-s', '--signal', '--listen'];

export const cameraDevice = z.discriminatedUnion(
  'driver',
  [
    sim.extend({ folder: z.string().optional() }),
    z.strictObject({
      driver: z.literal('rpicam'),
      /** `rpicam-vid` on the PATH, or its path. */
      command: z.string().min(1).default('rpicam-vid'),
      ...cameraStream,
      /** MJPEG quality 1–100 (rpicam-vid's own default is 50; the still comes from this stream). */
      quality: z.number().int().min(1).max(100).default(80),
      /** Index in `rpicam-vid --list-cameras`. */
      camera: z.number().int().min(0).max(7).default(0),
      rotation: z.union([z.literal(0), z.literal(180)], { error: 'rpicam-vid rotates by 0 or 180 only (use hflip/vflip for mirror images)' }).default(0),
      hflip: z.boolean().default(false),
      vflip: z.boolean().default(false),
      /** More rpicam-vid options, passed as they are (a tuning file, the autofocus mode). */
      extraArgs: z
        .array(z.string().max(4096))
        .max(32)
        .refine((a) => !a.some((x) => OWN_RPICAM_ARGS.includes(x.split('=')[0] ?? x)), {
          error: `may not set ${OWN_RPICAM_ARGS.filter((x) => x.startsWith('--')).join(', ')}: the driver sets those for the MJPEG stream on stdout`,
        })
        .default([]),
    }),
    z.strictObject({
      driver: z.enum(['pi', 'pi-camera-connect']),
      /** pi-camera-connect runs a program named raspivid: `raspivid` on the PATH, or a path ending in /raspivid. */
      command: z
        .string()
        .min(1)
        .refine((c) => c === LEGACY_PROGRAM || c.endsWith(`/${LEGACY_PROGRAM}`), {
          error: `pi-camera-connect runs a program named ${LEGACY_PROGRAM}: give "${LEGACY_PROGRAM}" or a path ending in /${LEGACY_PROGRAM}; for rpicam-vid set driver to "rpicam"`,
        })
        .default(LEGACY_PROGRAM),
      ...cameraStream,
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'camera driver must be one of "sim", "rpicam" (rpicam-vid), "pi-camera-connect" (raspivid; also "pi")' : undefined) },
);

export const printerDevice = z.discriminatedUnion('driver', [
  sim.extend({ paperWidth: z.enum(['58mm', '80mm']).default('80mm') }),
  z.strictObject({
    driver: z.literal('escpos'),
    port: serialPort,
    paperWidth: z.enum(['58mm', '80mm']).default('80mm'),
    /**
     * How Vietnamese text reaches the paper: 'raster' (each line drawn and sent as an image; works
     * on every printer, ~50 KB a receipt) or 'codepage' (TCVN-3 text; < 1 KB, only on printers
     * that have those code pages). See drivers/printer/escpos/encode.ts.
     */
    vietnamese: z.enum(['raster', 'codepage']).default('raster'),
  }),
]);

/** An Arduino pin: 0–69 covers the Mega 2560, the largest board StandardFirmata runs on here. */
const boardPin = z.number().int().min(0).max(69);
/** A GPIO line on the Pi's 40-pin header, by its BCM number (GPIO2–GPIO27). */
const headerPin = z.number().int().min(2).max(27);

type Pin = typeof boardPin | typeof headerPin;
const panelInput = (pin: Pin, d: InputWiring) =>
  z.strictObject({ pin: pin.default(d.pin), pullup: z.boolean().default(d.pullup), activeLow: z.boolean().default(d.activeLow) }).prefault({});
const panelPins = (pin: Pin, w: PanelWiring) =>
  z
    .strictObject({
      leds: z
        .strictObject({ status: pin.default(w.leds.status), help: pin.default(w.leds.help), fingerprint: pin.default(w.leds.fingerprint), 'camera-light': pin.default(w.leds['camera-light']) })
        .prefault({}),
      inputs: z
        .strictObject({ 'help-button': panelInput(pin, w.inputs['help-button']), presence: panelInput(pin, w.inputs.presence), tamper: panelInput(pin, w.inputs.tamper) })
        .prefault({}),
    })
    .prefault({});

/** What both panel boards share: the johnny-five panel's own settings. */
const panelCommon = {
  debounceMs: z.number().int().min(0).max(1_000).default(30),
  /**
   * How long the PIR's output is not trusted after the panel first comes up (johnny-five's
   * Motion calibrationDelay). A PIR module settles 10–60 s after power-up; it is powered with the
   * board, usually long before the kiosk starts.
   */
  presenceCalibrationMs: ms.default(2_000),
};

/** A pin used twice, or (on an Arduino) one of the USB serial pins Firmata itself talks over. */
function checkPins(c: { readonly pins: PanelWiring }, ctx: z.RefinementCtx, reserved: (pin: number, name: string) => string | undefined): void {
  const users = new Map<number, string>();
  const uses: Array<[string[], number]> = [
    ...Object.entries(c.pins.leds).map(([k, pin]): [string[], number] => [['pins', 'leds', k], pin]),
    ...Object.entries(c.pins.inputs).map(([k, w]): [string[], number] => [['pins', 'inputs', k, 'pin'], w.pin]),
  ];
  for (const [path, pin] of uses) {
    const name = path.slice(1).filter((p) => p !== 'pin').join('.');
    const why = reserved(pin, name);
    if (why) ctx.addIssue({ code: 'custom', path, message: why });
    const other = users.get(pin);
    if (other !== undefined) ctx.addIssue({ code: 'custom', path, message: `pin ${pin} is used twice: ${other} and ${name}` });
    else users.set(pin, name);
  }
  // johnny-five's Motion (the PIR) reads a HIGH as motion, as every PIR module outputs it.
  if (c.pins.inputs.presence.activeLow) {
    ctx.addIssue({ code: 'custom', path: ['pins', 'inputs', 'presence', 'activeLow'], message: 'a PIR presence sensor is read as HIGH on motion (johnny-five Motion): set activeLow to false and wire its output straight to the pin' });
  }
}

/** The front panel on an Arduino running StandardFirmata on USB (drivers/gpio/firmata), through johnny-five. */
const firmataPanel = z
  .strictObject({
    driver: z.literal('firmata'),
    port: serialPort,
    pins: panelPins(boardPin, DEFAULT_WIRING),
    /** The Uno's bootloader alone takes ~2 s after the port opens. */
    openTimeoutMs: ms.default(5_000),
    ...panelCommon,
  })
  // Pins 0/1 are RX/TX of the serial link Firmata itself talks over (Uno and Mega alike).
  .superRefine((c, ctx) => checkPins(c, ctx, (pin, name) => (pin <= 1 ? `pin ${pin} (${name}) is the board's USB serial line; use pin 2 or above` : undefined)));

/**
 * The front panel on the Pi's own header pins (drivers/gpio/pi), through johnny-five and the
 * Linux GPIO character device (docs/facts/gpio-chardev.md): Pi 4 and Pi 5 alike.
 */
const piGpioPanel = z
  .strictObject({
    driver: z.literal('pi-gpio'),
    /**
     * The GPIO chip of the 40-pin header: "auto" finds it by its label (pinctrl-bcm2711 on a Pi 4,
     * pinctrl-rp1 on a Pi 5, pinctrl-bcm2835 on older boards), or a name such as "gpiochip0".
     */
    chip: z.union([z.literal('auto'), z.string().regex(/^gpiochip\d{1,3}$/, 'a chip name such as "gpiochip0" (see `gpiodetect`), or "auto"')]).default('auto'),
    pins: panelPins(headerPin, PI_HEADER_WIRING),
    ...panelCommon,
  })
  .superRefine((c, ctx) =>
    checkPins(c, ctx, (pin, name) => (pin === 14 || pin === 15 ? `GPIO${pin} (${name}) is the Pi's serial console (TXD/RXD); choose another GPIO` : undefined)),
  );

export const gpioDevice = z.discriminatedUnion('driver', [sim, firmataPanel, piGpioPanel]);

/** An HPKP-style pin: base64 of the SHA-256 of the receiver's DER SubjectPublicKeyInfo. */
const spkiPin = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'the base64 SHA-256 of the receiver certificate\'s public key (44 characters ending in "=")');

/** Hours an acknowledged packet's sealed bytes stay on the kiosk when no `sync` section says otherwise. */
export const DEFAULT_RETENTION_HOURS = 72;

/**
 * The centre's acknowledgements and the outbox sync (controller/sync/). Absent: sync is off and
 * packets wait in the outbox (acks can still be imported from media with --receiver-key). With
 * a `url`, the kiosk sends its outbox over HTTPS to the receiver, pinned by its certificate or
 * its key, never by a CA; without one (a mobile kit with no network) packets leave on
 * hand-carried media only. Either way acks are checked against the receiver's Ed25519 key and a
 * packet is purged `retentionHours` after its ack.
 */
export const syncSection = z
  .strictObject({
    /** The receiver's base URL, HTTPS only (`npm run central -- serve` prints it); absent: no network sync. */
    url: z.url({ protocol: /^https$/, error: 'an https:// URL of the central receiver' }).optional(),
    /** PEM file of the receiver's TLS certificate; its public key is what is pinned. */
    pinnedCert: z.string().min(1).optional(),
    /** Or the pin itself (`central tls init` prints it); a list allows a backup key for rotation. */
    pinnedSpkiSha256: z.union([spkiPin, z.array(spkiPin).min(1).max(4)]).optional(),
    /**
     * PEM file of the receiver's Ed25519 acknowledgement key (`central keys init` and `central
     * serve` print its path): acks over the network and acks imported from media are checked with it.
     */
    receiverAckPublicKey: z.string().min(1),
    /** How long a sealed packet is kept after its verified acknowledgement (either way) before it is purged. */
    retentionHours: z.number().min(0).max(24 * 366).default(DEFAULT_RETENTION_HOURS),
    /** One upload, from connecting to the acknowledgement: a hung receiver is given up on after this. */
    requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(120_000),
    /** Backoff after a failure: exponential from here, with jitter… */
    backoffInitialMs: z.number().int().min(1).max(3_600_000).default(5_000),
    /** …up to this. */
    backoffMaxMs: z.number().int().min(1).max(86_400_000).default(900_000),
    /** With nothing due, look at the outbox this often (a new enrollment also wakes sync at once). */
    pollMs: z.number().int().min(10).max(3_600_000).default(60_000),
  })
  .superRefine((s, ctx) => {
    if (s.url !== undefined && s.pinnedCert === undefined && s.pinnedSpkiSha256 === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'say how the receiver is pinned: pinnedCert or pinnedSpkiSha256' });
    }
    if (s.backoffMaxMs < s.backoffInitialMs) {
      ctx.addIssue({ code: 'custom', path: ['backoffMaxMs'], message: `must be at least backoffInitialMs (${s.backoffInitialMs})` });
    }
  });

/**
 * The technician's service screen (controller/tech/, docs/technician.md): its PIN, how often it
 * may be tried, and where a laptop on the kiosk's network reaches it.
 */
export const techSection = z
  .strictObject({
    /** The PIN's salted scrypt hash (`npm run kiosk -- tech set-pin` writes it); absent: no PIN, the service screen stays locked. */
    pinHash: z.string().regex(PIN_HASH_PATTERN, 'a PIN hash as `npm run kiosk -- tech set-pin` writes it ($scrypt$ln=…)').optional(),
    /** Wrong PINs in a row before the screen locks for `lockoutMs`. */
    maxFailures: z.number().int().min(1).max(20).default(5),
    lockoutMs: z.number().int().min(1_000).max(86_400_000).default(300_000),
    /** At most one PIN attempt this often (per where it comes from: the kiosk itself, or the network). */
    minAttemptGapMs: z.number().int().min(0).max(60_000).default(1_000),
    /** An unlocked service screen locks itself after this long without use. */
    idleLockMs: z.number().int().min(10_000).max(3_600_000).default(600_000),
    /**
     * The technician's laptop on the kiosk's network reaches the service screen (and nothing else)
     * here, e.g. `{ "host": "0.0.0.0", "port": 8081 }`; absent: only the kiosk's own screen and
     * programs on the kiosk (through the kiosk's loopback server) reach it.
     */
    listen: z.strictObject({ host: z.string().min(1), port: z.number().int().min(0).max(65_535) }).optional(),
  })
  .prefault({});

export const configSchema = z
  .strictObject({
    kioskId: z.string().regex(/^[A-Za-z0-9-]{3,32}$/, 'letters, digits and dashes, 3–32 characters').default('KIOSK-DEV-01'),
    server: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
      })
      .prefault({}),
    dataDir: z.string().default('./data'),
    /** PEM file of the central server's X25519 public key; absent → a dev-only key pair is made. */
    sealing: z
      .strictObject({
        centralPublicKey: z.string().optional(),
        aead: z.enum(['aes-256-gcm', 'chacha20-poly1305']).default('aes-256-gcm'),
      })
      .prefault({}),
    /**
     * Operators' access (issue #14). /metrics and /healthz answer this machine freely; from any
     * other address /metrics needs `Authorization: Bearer <token>`. The server listens on
     * loopback unless `server.host` says otherwise: a fleet's Prometheus needs both.
     */
    ops: z
      .strictObject({
        /** At least 32 characters (e.g. `openssl rand -base64 32`); absent: /metrics only from this machine. */
        token: z.string().min(32, 'at least 32 characters: make one with `openssl rand -base64 32`').optional(),
        /**
         * This kiosk's own token for its ops channel (ws /ws/ops), which the hall's ops process
         * (`npm run kiosk -- ops`) presents; at least 32 characters, one per kiosk. Absent: the
         * channel is closed and finger exceptions are recorded without an officer's answer.
         */
        consoleToken: z.string().min(32, 'at least 32 characters: make one with `openssl rand -base64 32`').optional(),
        /** The ops channel sends the status at least this often (it also sends it on every change). */
        heartbeatMs: z.number().int().min(100).max(600_000).default(10_000),
        /** The SoC's temperature file (Linux thermal zone, millidegrees); absent or unreadable: no temperature metric. */
        thermalZone: z.string().default('/sys/class/thermal/thermal_zone0/temp'),
      })
      .prefault({}),
    /** The data directory's health (controller/store/storage-check.ts, issue #12). */
    storage: z
      .strictObject({
        /**
         * Below this much free space for the data directory the kiosk goes out of service before
         * a session starts (free pages inside the database count). A packet is 0.3–0.5 MB.
         */
        minFreeMiB: z.number().min(0).max(1_048_576).default(256),
        /** How often the write probe and free-space check run while the kiosk waits (they also run before each session and after a failed commit). */
        checkIntervalMs: ms.min(100).default(60_000),
        /** PRAGMA quick_check of the database at start: a damaged file is found (and kept aside) before it takes a citizen. */
        checkAtStart: z.boolean().default(true),
      })
      .prefault({}),
    flow: z
      .strictObject({
        /** No touch for this long → "need more time?" prompt. */
        idleTimeoutMs: ms.default(45_000),
        /** The prompt's countdown; at zero the session is abandoned and wiped. */
        promptTimeoutMs: ms.default(20_000),
        /** How long the receipt screen stays before the kiosk resets for the next citizen. */
        doneTimeoutMs: ms.default(30_000),
        /** How long the "session ended" screen shows. */
        abandonedScreenMs: ms.default(5_000),
        /**
         * How long a citizen who asked for help waits for staff before the "need more time?"
         * prompt: much longer than the idle timeout (staff take minutes), but not for ever, so a
         * session whose citizen left is still wiped.
         */
        helpWaitMs: ms.default(600_000),
        /** How long the start screen says "a staff member has been called" after the panel's help button. */
        staffCalledScreenMs: ms.default(8_000),
        /** The start screen goes quiet after this long with nobody near (the panel's PIR or a touch wakes it); 0: never. */
        attractSleepMs: ms.default(300_000),
        /**
         * In a session, once the panel's PIR sees nobody, the "need more time?" prompt comes after
         * this long instead of idleTimeoutMs (a PIR misses someone sitting still: the prompt is
         * still asked, never skipped).
         */
        absentTimeoutMs: ms.default(15_000),
        /** How often the receipt printer's paper and cover are checked, so a citizen is told before they start. */
        printerCheckMs: ms.default(15_000),
        /** Attempts in one round; a round that ends below the threshold asks the citizen what to do. */
        fingerAttempts: z.number().int().min(1).max(10).default(3),
        /** Rounds of `fingerAttempts` one finger may be given ("Try again" starts the next). */
        fingerRounds: z.number().int().min(1).max(5).default(2),
        /** More fingers than this declared as cannot be taken call staff before the citizen goes on. */
        fingerExceptionsWithoutStaff: z.number().int().min(0).max(10).default(2),
        /**
         * While an officer's console is connected to the ops channel (issue #14), a finger
         * exception waits for the officer's answer about the photo of the hand. No console
         * connected (or false): recorded at once, as before, for staff to review.
         */
        fingerExceptionApproval: z.boolean().default(true),
        /** How long the citizen waits for that answer; then the exception is kept, marked unanswered, for staff to review. */
        fingerExceptionApprovalWaitMs: ms.default(90_000),
        /** Threshold on the 0–100 quality score (MOSIP uses 40 for slaps and thumbs). */
        fingerQualityThreshold: z.number().min(0).max(100).default(40),
        /** How long one capture waits for a finger on the window. */
        fingerWaitMs: ms.default(15_000),
        /** Pause on a "try again" message so the citizen can read it before the next attempt. */
        fingerPauseMs: ms.default(1_200),
        /** Pause on "this finger is done" before the next finger is asked for. */
        fingerAcceptedPauseMs: ms.default(500),
        documentWaitMs: ms.default(60_000),
        /** Photos the citizen may take; at the last one the best is kept, flagged for staff. */
        faceAttempts: z.number().int().min(1).max(10).default(5),
        /** Consecutive passing preview frames before the countdown to the photo starts. */
        faceStableFrames: z.number().int().min(1).max(60).default(5),
        /**
         * Preview frames with a face the liveness tracker must have seen before the photo may be
         * taken, so its "held-up photo" hint can fire (capture/face-liveness.ts); at most the
         * frames it keeps.
         */
        faceLivenessFrames: z.number().int().min(3).max(LIVENESS_WINDOW).default(10),
        /** The countdown shown (3, 2, 1) once the face is good, before the photo is taken; 0 only for tests and benchmarks. */
        faceCountdownSeconds: z.number().int().min(0).max(10).default(3),
        /**
         * A citizen whose card says they are `fromAge` or older (issue #15): "larger text, stronger
         * contrast" turns on by itself (they can turn it off), and every wait they can run
         * into is `timeoutFactor` times longer: idleTimeoutMs, promptTimeoutMs, absentTimeoutMs,
         * helpWaitMs, fingerWaitMs and doneTimeoutMs (controller/enrollment/elderly.ts).
         */
        elderly: z
          .strictObject({
            fromAge: z.number().int().min(1).max(150).default(60),
            timeoutFactor: z.number().min(1).max(10).default(2),
          })
          .prefault({}),
        // ── the application as the police take it (issue #15): age branches, iris, invitations ──
        /**
         * The iris step (Luật Căn cước 2023 collects iris from age 6): a named state of the chart,
         * entered only when this kiosk has an iris camera. Off by default: none has one yet.
         */
        iris: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
        /**
         * Under 6 no biometrics are taken (Luật Căn cước 2023, Điều 23): the kiosk records the
         * application with the guardian's document and says where to finish it, in these words.
         */
        childFinishAt: z
          .strictObject({ vi: z.string().min(1).max(300), en: z.string().min(1).max(300) })
          .default({
            vi: 'Xin mang giấy khai sinh của cháu đến bàn tiếp dân của Công an phường, xã nơi cư trú để hoàn tất hồ sơ.',
            en: "Please bring the child's birth certificate to the reception desk of the ward or commune police where you live to finish the application.",
          }),
        /** How long the start screen says why a scanned invitation was refused. */
        invitationRefusedScreenMs: ms.default(15_000),
      })
      .prefault({}),
    /**
     * Invitations (giấy mời) scanned on the start screen (docs/invitation-format.md): the public
     * halves of the police stations' invitation keys (SPKI PEM files). None: invitations are
     * refused as signed by a key the kiosk does not know.
     */
    invitations: z
      .strictObject({
        publicKeys: z.array(z.string().min(1)).max(64).default([]),
      })
      .prefault({}),
    devices: z
      .strictObject({
        fingerprint: fingerprintDevice.default({ driver: 'sim', model: 'R307', packetSize: 128 }),
        document: documentDevice.default({ driver: 'sim' }),
        camera: cameraDevice.default({ driver: 'sim' }),
        printer: printerDevice.default({ driver: 'sim', paperWidth: '80mm' }),
        gpio: gpioDevice.default({ driver: 'sim' }),
      })
      .prefault({}),
    /** The centre's acks and the outbox sync to the central receiver; absent → off. */
    sync: syncSection.optional(),
    tech: techSection,
    /** Simulated devices only: realistic delays (true) or none (tests, benchmarks). */
    simulation: z
      .strictObject({
        realisticTiming: z.boolean().default(true),
      })
      .prefault({}),
  })
  .strict();

export type KioskConfig = z.infer<typeof configSchema>;
export type FlowConfig = KioskConfig['flow'];
export type SyncConfig = z.infer<typeof syncSection>;
export type TechConfig = z.infer<typeof techSection>;
