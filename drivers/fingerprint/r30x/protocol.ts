/**
 * Role (r30x protocol): Constants of the R30x-family UART protocol (R307, R503 and
 * compatibles), named as in the Grow/ZhianTec user manuals (R503 manual v1.4.1, R307 manual) so
 * a reader can check them against the datasheet line by line.
 */

/** Header: fixed 0xEF01, high byte first. */
export const HEADER_HI = 0xef;
export const HEADER_LO = 0x01;

/** Factory default module address; the module ignores packets for any other address. */
export const DEFAULT_ADDER = 0xffffffff;
/** Factory default handshake password. */
export const DEFAULT_PASSWORD = 0x00000000;

/** Header (2) + Adder (4) + PID (1) + LENGTH (2). */
export const PACKET_PREFIX_BYTES = 9;
/** Prefix plus the 2-byte checksum: the per-packet cost on the wire. */
export const PACKET_OVERHEAD_BYTES = 11;
/** The manual caps LENGTH (content + checksum) at 256 bytes of content + 2. */
export const MAX_CONTENT_BYTES = 256;

/** Package identifier (PID). */
export const PID = {
  Command: 0x01,
  Data: 0x02,
  Ack: 0x07,
  EndOfData: 0x08,
} as const;
export type PidName = keyof typeof PID;
export type PidValue = (typeof PID)[PidName];

/** Instruction codes (manual §IV "Instruction Table"). */
export const INSTRUCTION = {
  GenImg: 0x01,
  Img2Tz: 0x02, // "GenChar" in the R503 manual
  Match: 0x03,
  Search: 0x04,
  RegModel: 0x05,
  Store: 0x06,
  LoadChar: 0x07,
  UpChar: 0x08,
  DownChar: 0x09,
  UpImage: 0x0a,
  DownImage: 0x0b,
  DeletChar: 0x0c,
  Empty: 0x0d,
  SetSysPara: 0x0e,
  ReadSysPara: 0x0f,
  SetPwd: 0x12,
  VfyPwd: 0x13,
  GetRandomCode: 0x14,
  SetAdder: 0x15,
  TempleteNum: 0x1d,
  ReadIndexTable: 0x1f,
  GetImageEx: 0x28,
  AuraLedConfig: 0x35,
  CheckSensor: 0x36,
  GetFwVer: 0x3a,
  ReadProdInfo: 0x3c,
  SoftRst: 0x3d,
  HandShake: 0x40,
} as const;
export type InstructionName = keyof typeof INSTRUCTION;

/** Confirmation codes of acknowledge packets (manual §IV). */
export const CONFIRMATION = {
  OK: 0x00,
  PacketReceiveErr: 0x01,
  NoFinger: 0x02,
  ImageFail: 0x03,
  ImageMess: 0x06,
  FeatureFail: 0x07,
  NoMatch: 0x08,
  NotFound: 0x09,
  EnrollMismatch: 0x0a,
  BadLocation: 0x0b,
  DbReadFail: 0x0c,
  UploadFeatureFail: 0x0d,
  PacketResponseFail: 0x0e,
  UploadFail: 0x0f,
  DeleteFail: 0x10,
  DbClearFail: 0x11,
  PassFail: 0x13,
  InvalidImage: 0x15,
  FlashErr: 0x18,
  NoDefinitionErr: 0x19,
  InvalidReg: 0x1a,
  IncorrectRegConfig: 0x1b,
  WrongNotepadPage: 0x1c,
  CommPortFail: 0x1d,
  AddrCode: 0x20,
  PassVerify: 0x21,
  Timeout: 0x26,
  SensorHardwareErr: 0x29,
  UnsupportedCommand: 0xfc,
  HardwareErr: 0xfd,
  CommandFailure: 0xfe,
} as const;
export type ConfirmationName = keyof typeof CONFIRMATION;

const CONFIRMATION_BY_CODE = new Map<number, ConfirmationName>(
  Object.entries(CONFIRMATION).flatMap(([name, code]) => (isConfirmationName(name) ? [[code, name] as const] : [])),
);
function isConfirmationName(name: string): name is ConfirmationName {
  return Object.prototype.hasOwnProperty.call(CONFIRMATION, name);
}
/** The datasheet name of a confirmation code, or `Reserved(0xNN)` for codes the manual leaves open. */
export function confirmationName(code: number): string {
  return CONFIRMATION_BY_CODE.get(code) ?? `Reserved(0x${code.toString(16).padStart(2, '0')})`;
}

/** SetSysPara parameter numbers. */
export const SYS_PARA = {
  BaudRateControl: 4,
  SecurityLevel: 5,
  DataPackageLength: 6,
} as const;

/** Data package length codes (parameter 6): 0..3 → 32..256 bytes. */
export const PACKET_SIZES = [32, 64, 128, 256] as const;
export type PacketSize = (typeof PACKET_SIZES)[number];
export function packetSizeFromCode(code: number): PacketSize | undefined {
  return PACKET_SIZES[code];
}
export function packetSizeCode(size: number): number | undefined {
  const i = PACKET_SIZES.findIndex((s) => s === size);
  return i < 0 ? undefined : i;
}
export function isPacketSize(n: number): n is PacketSize {
  return packetSizeCode(n) !== undefined;
}

/** Baud = BAUD_UNIT × N (parameter 4). */
export const BAUD_UNIT = 9600;
/** UART 8N1: a start bit, eight data bits, a stop bit per byte. */
export const BITS_PER_BYTE_ON_WIRE = 10;

/** AuraLedConfig control codes (R503). */
export const AURA_CTRL = {
  Breathing: 0x01,
  Flashing: 0x02,
  AlwaysOn: 0x03,
  AlwaysOff: 0x04,
  GraduallyOn: 0x05,
  GraduallyOff: 0x06,
} as const;
/** AuraLedConfig colour indices (R503 v1.2+ has seven colours; the first three are universal). */
export const AURA_COLOUR = {
  Red: 0x01,
  Blue: 0x02,
  Purple: 0x03,
  Green: 0x04,
  Yellow: 0x05,
  Cyan: 0x06,
  White: 0x07,
} as const;

/** R503 sends this single byte once it has finished its ~50 ms power-up initialisation. */
export const POWER_UP_READY_BYTE = 0x55;

/** Byte length of the ReadSysPara basic parameter list (8 words). */
export const SYS_PARA_BYTES = 16;
/** Byte length of ReadProdInfo product information fields (R503 manual v1.3+: LENGTH 0x0031). */
export const PROD_INFO_BYTES = 46;
