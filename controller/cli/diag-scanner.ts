import { parseScan } from '../documents/parse';
import type { DocumentScanner } from '../../drivers/types';
import { HidDocumentScanner } from '../../drivers/document/hid/driver';
import { openNodeHid, parseVidPid } from '../../drivers/document/hid/transport';
import type { Suffix } from '../../drivers/document/serial/protocol';
import { SerialDocumentScanner } from '../../drivers/document/serial/driver';
import { createSimulatedScanner } from '../../drivers/document/serial/simulated';
import { silentLog } from '../../drivers/log';
import type { CliCommand } from './io';

const HELP = `Usage: kiosk diag scanner [--port PATH | --hid VID:PID | --sim] [options] [--json]

Opens the document scanner, waits for one scan and prints the text it decoded (with escapes for
control characters) and what the document parser makes of it. Exit 0 on a scan, 1 on timeout
or a device fault, 64 on bad usage.

  --port PATH       serial scanner (USB-CDC /dev/ttyACM0, UART /dev/ttyUSB0 …)
    --baud N        baud rate (default 115200; USB-CDC ignores it)
    --suffix S      what the scanner sends after a code: CR (default), LF, CRLF, none
  --hid VID:PID     USB HID scanner, hex ids (e.g. 0c2e:0b61)
    --pos           HID-POS mode (default: keyboard wedge)
  --sim             the built-in simulator; it presents a sample QR by itself
  --wait SECONDS    how long to wait for a scan (default 30)
  --idle-gap MS     silence that ends or abandons a code (default 100)
  --json            machine-readable output
  --help            this text
`;

interface Args {
  port?: string;
  hid?: string;
  sim: boolean;
  pos: boolean;
  json: boolean;
  baud: number;
  suffix: Suffix;
  waitS: number;
  idleGapMs: number;
}

const SIM_SAMPLE = '036190001234|163012345|Trần Thị Bích Ngọc|12081990|Nữ|Xóm 3, Nam Điền, Nam Trực, Nam Định|10052021';

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { sim: false, pos: false, json: false, baud: 115200, suffix: 'CR', waitS: 30, idleGapMs: 100 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i];
    switch (a) {
      case '--port': args.port = value(); if (!args.port) return '--port needs a path'; break;
      case '--hid': args.hid = value(); if (!args.hid) return '--hid needs VID:PID'; break;
      case '--sim': args.sim = true; break;
      case '--pos': args.pos = true; break;
      case '--json': args.json = true; break;
      case '--baud': args.baud = Number(value()); if (!Number.isInteger(args.baud) || args.baud <= 0) return '--baud needs a number'; break;
      case '--wait': args.waitS = Number(value()); if (!(args.waitS > 0)) return '--wait needs seconds'; break;
      case '--idle-gap': args.idleGapMs = Number(value()); if (!(args.idleGapMs > 0)) return '--idle-gap needs milliseconds'; break;
      case '--suffix': {
        const s = value();
        if (s !== 'CR' && s !== 'LF' && s !== 'CRLF' && s !== 'none') return '--suffix must be CR, LF, CRLF or none';
        args.suffix = s;
        break;
      }
      default: return `unknown option "${a ?? ''}"`;
    }
  }
  const sources = [args.port !== undefined, args.hid !== undefined, args.sim].filter(Boolean).length;
  if (sources !== 1) return 'choose exactly one of --port, --hid, --sim';
  return args;
}

/** Control characters visible, so a technician sees the suffix and stray bytes. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export const diagScannerCommand: CliCommand = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`diag scanner: ${args}\n${HELP}`);
    return 64;
  }
  let scanner: DocumentScanner;
  let presentSample: (() => Promise<void>) | undefined;
  if (args.sim) {
    const made = createSimulatedScanner({ suffix: args.suffix, idleGapMs: args.idleGapMs, log: silentLog });
    scanner = made.scanner;
    presentSample = () => made.sim.present(SIM_SAMPLE);
  } else if (args.hid !== undefined) {
    const ids = parseVidPid(args.hid);
    if (!ids) {
      io.err(`diag scanner: --hid must be VID:PID in hex, got "${args.hid}"\n`);
      return 64;
    }
    scanner = new HidDocumentScanner({
      name: `hid:${args.hid}`,
      mode: args.pos ? { kind: 'pos' } : { kind: 'keyboard' },
      idleGapMs: args.idleGapMs,
      openDevice: () => openNodeHid(ids.vendorId, ids.productId),
      log: silentLog,
    });
  } else {
    scanner = new SerialDocumentScanner({ port: { path: args.port ?? '', baudRate: args.baud }, log: silentLog, suffix: args.suffix, idleGapMs: args.idleGapMs });
  }

  try {
    const status = await scanner.open();
    if (status.state !== 'ready') {
      io.err(`scanner not ready: ${status.state}${status.detail ? ` (${status.detail})` : ''}\n`);
      return 1;
    }
    if (!args.json) io.err(`${status.driver} ready (${status.detail ?? ''}); scan a code within ${args.waitS} s…\n`);
    const reading = scanner.read({ waitMs: args.waitS * 1000 });
    if (presentSample) await presentSample();
    const result = await reading;
    if (result.kind !== 'text') {
      const line = result.kind === 'timeout' ? 'no scan before the timeout' : `${result.reason}: ${result.message}`;
      if (args.json) io.out(`${JSON.stringify({ ok: false, result })}\n`);
      else io.err(`${line}\n`);
      return 1;
    }
    const parsed = parseScan(result.text);
    if (args.json) {
      io.out(`${JSON.stringify({ ok: true, driver: status.driver, text: result.text, parsed }, null, 2)}\n`);
    } else {
      io.out(`text    ${visible(result.text)}\n`);
      io.out(`bytes   ${new TextEncoder().encode(result.text).length}\n`);
      io.out(parsed.ok ? `parsed  ${parsed.document.kind} ${parsed.document.idNumber}\n` : `parsed  error ${parsed.error.field}/${parsed.error.code}: ${parsed.error.message.en}\n`);
    }
    return 0;
  } finally {
    await scanner.close();
  }
};
