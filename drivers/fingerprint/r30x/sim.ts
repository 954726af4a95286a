/**
 * Role (r30x sim): the module's side of the wire. It decodes command packets, answers them the
 * way an R307 or R503 does, one at a time like the firmware, and streams images as data
 * packets. It plugs into the serial kit's simulated wire (SimLink) or a tty (serveOnTty); knobs
 * make it misbehave on purpose (junk, bad checksums, a dead module, a pulled cable mid-upload).
 */
import { synthBlank, synthFingerprint, type PrintVariant } from '../fingerprint-synth';
import { R30xDecoder, encodeAck, encodePacket, type R30xPacket } from './codec';
import { encodeProdInfo, encodeSysPara } from './commands';
import { pack4bit } from './image';
import { R30X_MODELS, type R30xModelName } from './models';
import { BAUD_UNIT, BITS_PER_BYTE_ON_WIRE, CONFIRMATION, DEFAULT_ADDER, DEFAULT_PASSWORD, INSTRUCTION, PID, SYS_PARA, packetSizeFromCode, type PacketSize } from './protocol';
import { FingerQueue, type FingerChoice } from './sim-fingers';
import type { GreyImage } from '../../../domain/images';
import type { DeviceSide, SimDevice } from '../../serial/sim-link';
import { TaskQueue } from '../../serial/task-queue';
import { keepNewest } from '../../sim-history';

export type { FingerChoice } from './sim-fingers';

export interface SimKnobs {
  /** GenImg answers NoFinger this many more times before the finger lands. */
  noFingerPolls: number;
  /** Pace bytes at the configured baud (10 bits a byte), as a real UART would. */
  slow: boolean;
  /** The next N replies are preceded by junk bytes. */
  garbageReplies: number;
  garbageBytes: number;
  /** The next N acknowledge packets carry a wrong checksum. */
  badChecksumReplies: number;
  /** In the next upload, this data packet (0-based) carries a wrong checksum. */
  badChecksumDataPacket: number | undefined;
  /** In the next upload, pull the cable after this many data packets. */
  unplugAfterDataPackets: number | undefined;
  /** A dead module: reads commands, answers nothing. */
  mute: boolean;
  /** In the next upload, this many more data packets after the image, before the end packet (a runaway module). */
  extraDataPackets: number;
}

/** The commands the simulator remembers: minutes of a waiting reader's polling, a day's at most a few MB less. */
export const SIM_KEPT_COMMANDS = 1000;

export interface R30xSimOptions {
  readonly model?: R30xModelName;
  /** The rate in its flash: what it runs at from power-up (factory default 57,600). */
  readonly baud?: number;
  /**
   * When a new rate (SetSysPara parameter 4) applies: at once, after the acknowledgement (the
   * default), or at the next power-up, as some firmware does ("at the next startup, system will
   * run with the new configurations": docs/facts/fingerprint-r30x.md). Either way it is kept in
   * flash: a close, a reopen or a replug finds the module at the new rate.
   */
  readonly baudTakesEffect?: 'at-once' | 'after-power-cycle';
  readonly packetSize?: PacketSize;
  readonly address?: number;
  readonly password?: number;
  readonly securityLevel?: number;
  /** GenImg/Img2Tz take as long as on a real module, and bytes are paced at the baud rate. */
  readonly realisticTiming?: boolean;
  /** How many of the newest commands `served` keeps (SIM_KEPT_COMMANDS unless said). */
  readonly keptCommands?: number;
  /** With nobody told what to present, a new finger lands on every GenImg ("cooperative"). */
  readonly citizen?: 'cooperative' | 'absent';
  readonly seed?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class R30xSim implements SimDevice {
  readonly model: (typeof R30X_MODELS)[R30xModelName];
  readonly knobs: SimKnobs = {
    noFingerPolls: 0,
    slow: false,
    garbageReplies: 0,
    garbageBytes: 12,
    badChecksumReplies: 0,
    badChecksumDataPacket: undefined,
    unplugAfterDataPackets: undefined,
    mute: false,
    extraDataPackets: 0,
  };
  readonly fingers: FingerQueue;
  private baudNow: number;
  /** A rate written to flash that applies at the next power-up. */
  private baudInFlash: number | undefined;
  private readonly baudTakesEffect: 'at-once' | 'after-power-cycle';
  private packetSizeNow: PacketSize;
  private securityLevel: number;
  private readonly address: number;
  private readonly password: number;
  private realistic: boolean;
  private readonly decoder: R30xDecoder;
  private sink: DeviceSide | undefined;
  /** The firmware serves one command at a time, in order. */
  private readonly work = new TaskQueue();
  private wireFreeAt = 0;
  private imageBuffer: { readonly image: GreyImage; readonly variant: PrintVariant | 'blank' } | undefined;
  private pwdVerified = false;
  private junkSeed = 7;
  /** Commands served, by datasheet name, the newest `keptCommands`: lets tests see what the driver did. */
  readonly served: string[] = [];
  private readonly keptCommands: number;

  constructor(opts: R30xSimOptions = {}) {
    this.model = R30X_MODELS[opts.model ?? 'R307'];
    this.keptCommands = opts.keptCommands ?? SIM_KEPT_COMMANDS;
    this.baudNow = opts.baud ?? 57600;
    this.baudTakesEffect = opts.baudTakesEffect ?? 'at-once';
    this.packetSizeNow = opts.packetSize ?? 128;
    this.securityLevel = opts.securityLevel ?? 3;
    this.address = opts.address ?? DEFAULT_ADDER;
    this.password = opts.password ?? DEFAULT_PASSWORD;
    this.realistic = opts.realisticTiming ?? false;
    this.knobs.slow = this.realistic;
    this.decoder = new R30xDecoder({ address: this.address });
    this.fingers = new FingerQueue(opts.citizen ?? 'cooperative', opts.seed ?? 1);
  }

  /** Switch module timings and baud pacing on or off while running (the kiosk's /api/sim/timing). */
  setRealisticTiming(on: boolean): void {
    this.realistic = on;
    this.knobs.slow = on;
  }

  get baud(): number {
    return this.baudNow;
  }
  get packetSize(): PacketSize {
    return this.packetSizeNow;
  }

  /** Present the next finger (seed / blank / smudged / same-again / none). */
  present(choice: FingerChoice): void {
    this.fingers.present(choice);
  }

  attach(sink: DeviceSide): void {
    this.sink = sink;
    this.wireFreeAt = 0;
  }

  detach(): void {
    this.sink = undefined;
    this.decoder.reset();
  }

  /** Power cycle: RAM (image buffer, password state) is lost; flash (baud, packet size) stays, and a rate written to flash applies now. */
  powerCycle(): void {
    if (this.baudInFlash !== undefined) this.baudNow = this.baudInFlash;
    this.baudInFlash = undefined;
    this.imageBuffer = undefined;
    this.pwdVerified = false;
    this.decoder.reset();
  }

  /** Bytes from the host. Commands are served one at a time, in order, like the firmware. */
  receive(bytes: Uint8Array): void {
    for (const item of this.decoder.push(bytes)) {
      if (item.kind !== 'packet' || item.pid !== PID.Command) continue;
      void this.work.run(() => this.serve(item)).catch(() => undefined);
    }
  }

  /**
   * Bytes the module puts on the line unasked (a faulty module, noise on a long cable), sent in
   * `chunk`-byte writes as a UART adapter delivers them.
   */
  async sendRaw(bytes: Uint8Array, chunk = 4096): Promise<void> {
    for (let at = 0; at < bytes.length; at += chunk) {
      if (!this.sink) return;
      await this.emit(bytes.subarray(at, at + chunk));
      if ((at / chunk) % 16 === 15) await new Promise((r) => setImmediate(r));
    }
  }

  /** Resolves when every command received so far has been answered. */
  idle(): Promise<void> {
    return this.work.idle();
  }

  private async emit(bytes: Uint8Array): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    if (this.knobs.slow) {
      // The last byte of a packet arrives one wire-time after the line is free.
      const now = performance.now();
      const start = Math.max(now, this.wireFreeAt);
      this.wireFreeAt = start + (bytes.length * BITS_PER_BYTE_ON_WIRE * 1000) / this.baudNow;
      const wait = this.wireFreeAt - now;
      if (wait >= 1) await sleep(wait);
    }
    this.sink?.send(bytes);
  }

  private junk(): Uint8Array {
    const out = new Uint8Array(this.knobs.garbageBytes);
    for (let i = 0; i < out.length; i++) {
      this.junkSeed = (this.junkSeed * 1103515245 + 12345) >>> 0;
      out[i] = (this.junkSeed >>> 16) & 0xff;
    }
    return out;
  }

  private async reply(code: number, params: Uint8Array = new Uint8Array(0)): Promise<void> {
    if (this.knobs.garbageReplies > 0) {
      this.knobs.garbageReplies--;
      await this.emit(this.junk());
    }
    const packet = encodeAck(code, params, this.address);
    if (this.knobs.badChecksumReplies > 0) {
      this.knobs.badChecksumReplies--;
      packet[packet.length - 1] = (packet[packet.length - 1] ?? 0) ^ 0x5a;
    }
    await this.emit(packet);
  }

  private async serve(p: R30xPacket): Promise<void> {
    if (this.knobs.mute || !this.sink) return;
    const instruction = p.content[0];
    const args = p.content.subarray(1);
    const name = Object.entries(INSTRUCTION).find(([, v]) => v === instruction)?.[0] ?? `0x${(instruction ?? 0).toString(16)}`;
    keepNewest(this.served, name, this.keptCommands);
    switch (instruction) {
      case INSTRUCTION.VfyPwd: {
        const pwd = (((args[0] ?? 0) << 24) | ((args[1] ?? 0) << 16) | ((args[2] ?? 0) << 8) | (args[3] ?? 0)) >>> 0;
        this.pwdVerified = pwd === this.password;
        return this.reply(this.pwdVerified ? CONFIRMATION.OK : CONFIRMATION.PassFail);
      }
      case INSTRUCTION.ReadSysPara:
        return this.reply(
          CONFIRMATION.OK,
          encodeSysPara({
            statusRegister: (this.pwdVerified ? 0x04 : 0) | (this.imageBuffer ? 0x08 : 0),
            systemIdentifierCode: 0x0000,
            fingerLibrarySize: this.model.libraryCapacity,
            securityLevel: this.securityLevel,
            deviceAddress: this.address,
            dataPacketSize: this.packetSizeNow,
            // The flash record, which a rate waiting for the next power-up has already changed.
            baudRate: this.baudInFlash ?? this.baudNow,
          }),
        );
      case INSTRUCTION.ReadProdInfo:
        if (!this.model.hasProdInfo) return this.reply(CONFIRMATION.PacketReceiveErr);
        return this.reply(
          CONFIRMATION.OK,
          encodeProdInfo({
            moduleModel: this.model.name,
            batchNumber: 'SIM1',
            serialNumber: '00000001',
            hardwareVersion: '1.0',
            sensorModel: 'SIMCAP',
            imageWidth: this.model.imageWidth,
            imageHeight: this.model.imageHeight,
            templateSize: 1536,
            databaseSize: this.model.libraryCapacity,
          }),
        );
      case INSTRUCTION.GenImg:
        return this.genImg();
      case INSTRUCTION.UpImage:
        return this.upImage();
      case INSTRUCTION.Img2Tz: {
        if (this.realistic) await sleep(300);
        const b = this.imageBuffer;
        if (!b) return this.reply(CONFIRMATION.InvalidImage);
        if (b.variant === 'blank') return this.reply(CONFIRMATION.FeatureFail);
        if (b.variant === 'smudged') return this.reply(CONFIRMATION.ImageMess);
        return this.reply(CONFIRMATION.OK);
      }
      case INSTRUCTION.SetSysPara:
        return this.setSysPara(args[0] ?? 0, args[1] ?? 0);
      case INSTRUCTION.AuraLedConfig:
        return this.reply(this.model.hasAuraLed ? CONFIRMATION.OK : CONFIRMATION.PacketReceiveErr);
      case INSTRUCTION.TempleteNum:
        return this.reply(CONFIRMATION.OK, Uint8Array.of(0, 0));
      case INSTRUCTION.HandShake:
        return this.reply(CONFIRMATION.OK);
      default:
        return this.reply(CONFIRMATION.PacketReceiveErr);
    }
  }

  private async genImg(): Promise<void> {
    if (this.knobs.noFingerPolls > 0) {
      this.knobs.noFingerPolls--;
      if (this.realistic) await sleep(60);
      return this.reply(CONFIRMATION.NoFinger);
    }
    const { width, height } = { width: this.model.imageWidth, height: this.model.imageHeight };
    const taken = this.fingers.take();
    if (!taken) {
      if (this.realistic) await sleep(60);
      return this.reply(CONFIRMATION.NoFinger);
    }
    if (this.realistic) await sleep(this.model.genImgMs);
    const image =
      taken.kind === 'blank'
        ? synthBlank(width, height, taken.noiseSeed)
        : synthFingerprint(taken.seed, width, height, { dx: taken.dx, dy: taken.dy, noiseSeed: taken.noiseSeed, variant: taken.variant });
    this.imageBuffer = { image, variant: taken.kind === 'blank' ? 'blank' : taken.variant };
    return this.reply(CONFIRMATION.OK);
  }

  private async upImage(): Promise<void> {
    const b = this.imageBuffer;
    if (!b) return this.reply(CONFIRMATION.UploadFail);
    await this.reply(CONFIRMATION.OK);
    const data = pack4bit(b.image);
    const size = this.packetSizeNow;
    const count = Math.ceil(data.length / size);
    const badAt = this.knobs.badChecksumDataPacket;
    const unplugAfter = this.knobs.unplugAfterDataPackets;
    const extra = this.knobs.extraDataPackets;
    this.knobs.badChecksumDataPacket = undefined;
    this.knobs.unplugAfterDataPackets = undefined;
    this.knobs.extraDataPackets = 0;
    for (let i = 0; i < count + extra; i++) {
      if (unplugAfter !== undefined && i >= unplugAfter) {
        const sink = this.sink;
        this.detach();
        sink?.unplug();
        return;
      }
      if (this.knobs.garbageReplies > 0 && i === Math.floor(count / 2)) {
        this.knobs.garbageReplies--;
        await this.emit(this.junk());
      }
      const pid = i === count + extra - 1 ? PID.EndOfData : PID.Data;
      // Past the image, a runaway module repeats its last packet's worth of bytes.
      const from = Math.min(i, count - 1) * size;
      const packet = encodePacket(pid, data.subarray(from, from + size), this.address);
      if (i === badAt) packet[packet.length - 2] = (packet[packet.length - 2] ?? 0) ^ 0x01;
      await this.emit(packet);
      if (!this.sink) return;
      if (i % 256 === 255) await new Promise((r) => setImmediate(r));
    }
  }

  private async setSysPara(param: number, value: number): Promise<void> {
    if (param === SYS_PARA.BaudRateControl) {
      if (!this.model.baudMultipliers.includes(value)) return this.reply(CONFIRMATION.IncorrectRegConfig);
      // Acknowledged at the old rate; the new rate applies to what follows, or from the next power-up.
      await this.reply(CONFIRMATION.OK);
      if (this.baudTakesEffect === 'at-once') this.baudNow = value * BAUD_UNIT;
      else this.baudInFlash = value * BAUD_UNIT;
      return;
    }
    if (param === SYS_PARA.SecurityLevel) {
      if (value < 1 || value > 5) return this.reply(CONFIRMATION.IncorrectRegConfig);
      this.securityLevel = value;
      return this.reply(CONFIRMATION.OK);
    }
    if (param === SYS_PARA.DataPackageLength) {
      const size = packetSizeFromCode(value);
      if (size === undefined) return this.reply(CONFIRMATION.IncorrectRegConfig);
      await this.reply(CONFIRMATION.OK);
      this.packetSizeNow = size;
      return;
    }
    return this.reply(CONFIRMATION.InvalidReg);
  }
}

