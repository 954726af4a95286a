/**
 * Role (r30x codec extra): Command contents and reply parameters for the instructions the kiosk
 * uses. Building and parsing live here, away from timing and I/O, so the simulator and the
 * driver share one definition of every layout.
 */
import { BAUD_UNIT, INSTRUCTION, PROD_INFO_BYTES, SYS_PARA, SYS_PARA_BYTES, packetSizeCode, packetSizeFromCode, type PacketSize } from './protocol';

export interface CommandSpec {
  readonly name: string;
  readonly instruction: number;
  readonly params: readonly number[];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

export const commands = {
  vfyPwd: (password: number): CommandSpec => ({ name: 'VfyPwd', instruction: INSTRUCTION.VfyPwd, params: u32(password) }),
  readSysPara: (): CommandSpec => ({ name: 'ReadSysPara', instruction: INSTRUCTION.ReadSysPara, params: [] }),
  readProdInfo: (): CommandSpec => ({ name: 'ReadProdInfo', instruction: INSTRUCTION.ReadProdInfo, params: [] }),
  genImg: (): CommandSpec => ({ name: 'GenImg', instruction: INSTRUCTION.GenImg, params: [] }),
  upImage: (): CommandSpec => ({ name: 'UpImage', instruction: INSTRUCTION.UpImage, params: [] }),
  img2Tz: (charBuffer: number): CommandSpec => ({ name: 'Img2Tz', instruction: INSTRUCTION.Img2Tz, params: [charBuffer] }),
  templeteNum: (): CommandSpec => ({ name: 'TempleteNum', instruction: INSTRUCTION.TempleteNum, params: [] }),
  setBaud: (baud: number): CommandSpec => ({
    name: 'SetSysPara',
    instruction: INSTRUCTION.SetSysPara,
    params: [SYS_PARA.BaudRateControl, Math.round(baud / BAUD_UNIT)],
  }),
  setSecurityLevel: (level: number): CommandSpec => ({
    name: 'SetSysPara',
    instruction: INSTRUCTION.SetSysPara,
    params: [SYS_PARA.SecurityLevel, level],
  }),
  setPacketSize: (size: PacketSize): CommandSpec => ({
    name: 'SetSysPara',
    instruction: INSTRUCTION.SetSysPara,
    params: [SYS_PARA.DataPackageLength, packetSizeCode(size) ?? 2],
  }),
  auraLedConfig: (ctrl: number, speed: number, colour: number, count: number): CommandSpec => ({
    name: 'AuraLedConfig',
    instruction: INSTRUCTION.AuraLedConfig,
    params: [ctrl, speed, colour, count],
  }),
} as const;

/** ReadSysPara's 16-byte basic parameter list (manual: eight words, high byte first). */
export interface SysPara {
  readonly statusRegister: number;
  readonly systemIdentifierCode: number;
  readonly fingerLibrarySize: number;
  readonly securityLevel: number;
  readonly deviceAddress: number;
  readonly dataPacketSize: PacketSize;
  readonly baudRate: number;
}

function word(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export function parseSysPara(params: Uint8Array): ParseResult<SysPara> {
  if (params.length < SYS_PARA_BYTES) return { ok: false, message: `ReadSysPara returned ${params.length} bytes, expected ${SYS_PARA_BYTES}` };
  const sizeCode = word(params, 12);
  const dataPacketSize = packetSizeFromCode(sizeCode);
  if (dataPacketSize === undefined) return { ok: false, message: `ReadSysPara: unknown data packet size code ${sizeCode}` };
  const n = word(params, 14);
  if (n < 1 || n > 12) return { ok: false, message: `ReadSysPara: baud multiplier N=${n} outside 1..12` };
  return {
    ok: true,
    value: {
      statusRegister: word(params, 0),
      systemIdentifierCode: word(params, 2),
      fingerLibrarySize: word(params, 4),
      securityLevel: word(params, 6),
      deviceAddress: ((word(params, 8) << 16) | word(params, 10)) >>> 0,
      dataPacketSize,
      baudRate: n * BAUD_UNIT,
    },
  };
}

export function encodeSysPara(p: SysPara): Uint8Array {
  const words = [
    p.statusRegister,
    p.systemIdentifierCode,
    p.fingerLibrarySize,
    p.securityLevel,
    p.deviceAddress >>> 16,
    p.deviceAddress & 0xffff,
    packetSizeCode(p.dataPacketSize) ?? 2,
    Math.round(p.baudRate / BAUD_UNIT),
  ];
  return Uint8Array.from(words.flatMap((w) => [(w >> 8) & 0xff, w & 0xff]));
}

/** ReadProdInfo (R503 and newer firmware): what the module says it is. */
export interface ProdInfo {
  readonly moduleModel: string;
  readonly batchNumber: string;
  readonly serialNumber: string;
  readonly hardwareVersion: string;
  readonly sensorModel: string;
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly templateSize: number;
  readonly databaseSize: number;
}

// Field widths in the order the manual lists them (PARAM_FPM_MODEL .. PARAM_TMPL_TOTAL).
const PROD_INFO_LAYOUT = { model: 16, batch: 4, serial: 8, hw: 2, sensor: 8 } as const;

function ascii(b: Uint8Array, at: number, len: number): string {
  let s = '';
  for (let i = at; i < at + len; i++) {
    const c = b[i] ?? 0;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s.trim();
}

function putAscii(out: Uint8Array, at: number, len: number, text: string): void {
  for (let i = 0; i < len && i < text.length; i++) out[at + i] = text.charCodeAt(i) & 0x7f;
}

export function parseProdInfo(params: Uint8Array): ParseResult<ProdInfo> {
  if (params.length < PROD_INFO_BYTES) return { ok: false, message: `ReadProdInfo returned ${params.length} bytes, expected ${PROD_INFO_BYTES}` };
  const L = PROD_INFO_LAYOUT;
  const hwAt = L.model + L.batch + L.serial;
  const sensorAt = hwAt + L.hw;
  const numsAt = sensorAt + L.sensor;
  const imageWidth = word(params, numsAt);
  const imageHeight = word(params, numsAt + 2);
  if (imageWidth === 0 || imageHeight === 0 || imageWidth % 2 !== 0) {
    return { ok: false, message: `ReadProdInfo: implausible sensor size ${imageWidth}x${imageHeight}` };
  }
  return {
    ok: true,
    value: {
      moduleModel: ascii(params, 0, L.model),
      batchNumber: ascii(params, L.model, L.batch),
      serialNumber: ascii(params, L.model + L.batch, L.serial),
      hardwareVersion: `${params[hwAt] ?? 0}.${params[hwAt + 1] ?? 0}`,
      sensorModel: ascii(params, sensorAt, L.sensor),
      imageWidth,
      imageHeight,
      templateSize: word(params, numsAt + 4),
      databaseSize: word(params, numsAt + 6),
    },
  };
}

export function encodeProdInfo(p: ProdInfo): Uint8Array {
  const L = PROD_INFO_LAYOUT;
  const out = new Uint8Array(PROD_INFO_BYTES);
  putAscii(out, 0, L.model, p.moduleModel);
  putAscii(out, L.model, L.batch, p.batchNumber);
  putAscii(out, L.model + L.batch, L.serial, p.serialNumber);
  const hwAt = L.model + L.batch + L.serial;
  const [major, minor] = p.hardwareVersion.split('.').map((s) => Number.parseInt(s, 10) || 0);
  out[hwAt] = major ?? 0;
  out[hwAt + 1] = minor ?? 0;
  const sensorAt = hwAt + L.hw;
  putAscii(out, sensorAt, L.sensor, p.sensorModel);
  const numsAt = sensorAt + L.sensor;
  for (const [i, v] of [p.imageWidth, p.imageHeight, p.templateSize, p.databaseSize].entries()) {
    out[numsAt + i * 2] = (v >> 8) & 0xff;
    out[numsAt + i * 2 + 1] = v & 0xff;
  }
  return out;
}
