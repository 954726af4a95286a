/**
 * Role (GPIO driver): the panel's link to the Pi's own 40-pin header: the header's GPIO chip
 * (found by its label, or named in config) through libgpiod's tools (libgpiod.ts), behind the
 * johnny-five IO plugin in io.ts. A chip that cannot be opened, or a tool that dies, is a fault
 * that says what to check; open() tries again.
 */
import type { Fault } from '../../types';
import type { DeviceLog } from '../../log';
import type { LinkOptions, LinkResult, PanelLink } from '../io';
import { PANEL_INPUTS, PANEL_LEDS, type PanelWiring } from '../firmata/wiring';
import type { GpioChip } from './chip';
import { PiGpioIo } from './io';
import { findChip, LibgpiodChip, toolsGeneration, type LibgpiodOptions } from './libgpiod';

export interface PiGpioLinkOptions {
  /** "auto" (the header's chip, by its label) or a chip name such as "gpiochip0". */
  readonly chip: string;
  readonly wiring: PanelWiring;
  readonly log: DeviceLog;
  /** How to reach a chip: libgpiod's tools by default; tests pass a fake chip. */
  readonly openChip?: (chip: string) => Promise<GpioChip | { readonly error: string }>;
  readonly tools?: LibgpiodOptions;
}

/** The header's GPIO lines by BCM number: GPIO2–GPIO27 (0 and 1 are the HAT ID EEPROM's). */
export const HEADER_LINES = { first: 2, last: 27 } as const;

const fault = (reason: Fault['reason'], message: string): Fault => ({ kind: 'fault', reason, message });

export async function openLibgpiodChip(chip: string, tools: LibgpiodOptions = {}): Promise<GpioChip | { readonly error: string }> {
  const generation = await toolsGeneration(tools);
  if (typeof generation !== 'number') return generation;
  const info = await findChip(chip, tools);
  if ('error' in info) return info;
  return new LibgpiodChip(info, generation, tools);
}

export class PiGpioLink implements PanelLink {
  readonly driver = 'pi-gpio';
  readonly where: string;
  private chip: GpioChip | undefined;
  private io: PiGpioIo | undefined;
  private offGone: (() => void) | undefined;

  constructor(private readonly o: PiGpioLinkOptions) {
    this.where = o.chip === 'auto' ? "the Pi's GPIO header" : `the Pi's GPIO header (${o.chip})`;
  }

  async connect(lo: LinkOptions): Promise<LinkResult> {
    await this.disconnect();
    const opened = await (this.o.openChip ?? ((c: string) => openLibgpiodChip(c, this.o.tools)))(this.o.chip);
    if ('error' in opened) return fault('unplugged', `cannot open ${this.where}: ${opened.error}`);
    const chip = opened;
    const problem = wiringProblem(this.o.wiring, chip.lines);
    if (problem) {
      await chip.close();
      return fault('device-error', `${chip.name} [${chip.label}]: ${problem}; check the pins in config`);
    }
    const io = new PiGpioIo({ chip, usable: (line) => line >= HEADER_LINES.first && line <= HEADER_LINES.last });
    this.chip = chip;
    this.io = io;
    this.offGone = chip.onGone((why) => {
      if (this.chip !== chip) return;
      lo.onLost(fault('unplugged', `${this.where} stopped answering: ${why}`));
    });
    if (lo.signal?.aborted) {
      await this.disconnect();
      return fault('aborted', `opening ${this.where} was cancelled`);
    }
    await new Promise<void>((resolve) => (io.isReady ? resolve() : io.once('ready', () => resolve())));
    return { kind: 'ready', io, detail: `${chip.name} [${chip.label}], ${chip.lines} lines` };
  }

  async settle(): Promise<Fault | undefined> {
    await this.io?.settled();
    return this.chip ? undefined : fault('unplugged', `${this.where} is not open`);
  }

  async disconnect(): Promise<void> {
    const chip = this.chip;
    this.chip = undefined;
    this.io = undefined;
    this.offGone?.();
    this.offGone = undefined;
    await chip?.close();
  }
}

function wiringProblem(wiring: PanelWiring, lines: number): string | undefined {
  const uses = [...PANEL_LEDS.map((l) => [`the ${l} LED`, wiring.leds[l]] as const), ...PANEL_INPUTS.map((i) => [`the ${i} input`, wiring.inputs[i].pin] as const)];
  for (const [what, pin] of uses) {
    if (pin >= lines) return `${what} is on GPIO${pin} but the chip has only ${lines} lines`;
    if (pin < HEADER_LINES.first || pin > HEADER_LINES.last) return `${what} is on GPIO${pin}, which is not a header pin (GPIO2–GPIO27)`;
  }
  return undefined;
}
