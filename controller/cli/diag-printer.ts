import { silentLog } from '../../drivers/log';
import { EscPosPrinter } from '../../drivers/printer/escpos/driver';
import { encodeReceipt, type EncodeOptions } from '../../drivers/printer/escpos/encode';
import { createSimulatedPrinter } from '../../drivers/printer/escpos/simulated';
import type { PrinterStatus, Receipt, ReceiptPrinter } from '../../drivers/types';
import type { CliCommand } from './io';

const USAGE = 'usage: diag printer [--port PATH [--baud B] | --sim] [--json]';

const TEST_PAGE: Receipt = {
  lines: [
    { text: 'TRANG IN THỬ / TEST PAGE', align: 'center', bold: true, size: 'large' },
    { text: 'Tiếng Việt: Nguyễn Thị Ánh Tuyết, Trần Đức Hưởng, ĐỖ VĂN HẢI' },
    { text: 'ăâđêôơư ÀẢÃÁẠ ẰẲẴẮẶ ẦẨẪẤẬ ỲỶỸÝỴ' },
    { text: `${new Date().toISOString()}` },
  ],
  qr: 'TEST-PAGE',
};

const HINTS: Readonly<Record<string, string>> = {
  offline: 'no reply to DLE EOT: check the printer is powered on, the cable, the port path and the baud rate (try 9600, 19200, 38400, 115200)',
  'paper-out': 'load a paper roll and close the cover',
  'cover-open': 'close the printer cover',
  fault: 'see the detail; power-cycle the printer',
};

export const diagPrinterCommand: CliCommand = async (argv, io) => {
  let port: string | undefined;
  let baud = 115200;
  let sim = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') port = argv[++i];
    else if (a === '--baud') baud = Number(argv[++i]);
    else if (a === '--sim') sim = true;
    else if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      io.out(`${USAGE}\n`);
      return 0;
    } else {
      io.err(`unknown argument ${a ?? ''}\n${USAGE}\n`);
      return 2;
    }
  }
  if ((port === undefined) === !sim || !Number.isInteger(baud) || baud <= 0) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  const encode: EncodeOptions = { paper: 80, vietnamese: 'raster' };
  const printer: ReceiptPrinter =
    port === undefined
      ? createSimulatedPrinter({ ...encode, log: silentLog }).printer
      : new EscPosPrinter({ port: { path: port, baudRate: baud }, log: silentLog, encode });
  const t0 = performance.now();
  const opened = await printer.open();
  let status: PrinterStatus = { kind: 'offline' };
  let printed = false;
  if (opened.state !== 'disconnected') {
    const r = await printer.print(TEST_PAGE);
    printed = r.kind === 'printed';
    status = r.kind === 'printed' ? await printer.readStatus() : r.status;
  }
  const ms = Math.round(performance.now() - t0);
  // The same bytes the driver sent (the driver streams them and does not keep a copy).
  const bytes = (await encodeReceipt(TEST_PAGE, encode)).length;
  await printer.close();
  const hint = opened.state === 'disconnected' ? `cannot open the port: ${opened.detail ?? ''}` : printed ? undefined : HINTS[status.kind];
  if (json) {
    io.out(`${JSON.stringify({ ok: printed, status, bytes, ms, ...(hint === undefined ? {} : { hint }) })}\n`);
  } else {
    io.out(`printer: ${printed ? 'test page printed' : 'NOT printed'}; status ${status.kind}; ${bytes} bytes in ${ms} ms\n`);
    if (hint !== undefined) io.err(`check: ${hint}\n`);
  }
  return printed ? 0 : 1;
};
