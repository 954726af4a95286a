/**
 * Test helper: a GPIO chip in memory, as the Linux GPIO character device behaves for one user:
 * outputs hold the level last set, inputs read the level the outside world drives (or their
 * bias when nothing drives them) and report each change as an edge. It records what was asked,
 * so a test can check what johnny-five did to the pins.
 */
import type { Bias, GpioChip, InputLine } from '../../drivers/gpio/pi/chip';

export class FakeGpioChip implements GpioChip {
  readonly outputs = new Map<number, 0 | 1>();
  readonly biases = new Map<number, Bias>();
  /** Levels driven from outside (a button, a PIR); unset = floating. */
  private readonly external = new Map<number, 0 | 1>();
  private watching: { lines: readonly InputLine[]; onLevel: (offset: number, value: 0 | 1) => void } | undefined;
  private readonly goneListeners = new Set<(why: string) => void>();
  /** Every watchInputs call, for tests. */
  readonly watchCalls: (readonly InputLine[])[] = [];
  closed = false;

  constructor(
    readonly name = 'gpiochip0',
    readonly label = 'pinctrl-bcm2711',
    readonly lines = 58,
  ) {}

  setOutput(offset: number, value: 0 | 1): void {
    this.outputs.set(offset, value);
  }

  watchInputs(lines: readonly InputLine[], onLevel: (offset: number, value: 0 | 1) => void): Promise<void> {
    this.watchCalls.push(lines);
    for (const l of lines) this.biases.set(l.offset, l.bias);
    this.watching = { lines, onLevel };
    for (const l of lines) onLevel(l.offset, this.level(l.offset));
    return Promise.resolve();
  }

  idle(): Promise<void> {
    return Promise.resolve();
  }
  onGone(listener: (why: string) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }
  close(): Promise<void> {
    this.closed = true;
    this.watching = undefined;
    return Promise.resolve();
  }

  /** The outside world drives a line (a button pressed to ground, a PIR going high). */
  drive(offset: number, level: 0 | 1 | undefined): void {
    const before = this.level(offset);
    if (level === undefined) this.external.delete(offset);
    else this.external.set(offset, level);
    const after = this.level(offset);
    if (after !== before && this.watching?.lines.some((l) => l.offset === offset)) this.watching.onLevel(offset, after);
  }

  /** The chip's user lost it (a tool died, the device went away). */
  lose(why: string): void {
    this.watching = undefined;
    for (const l of this.goneListeners) l(why);
  }

  level(offset: number): 0 | 1 {
    const ext = this.external.get(offset);
    if (ext !== undefined) return ext;
    return this.biases.get(offset) === 'pull-up' ? 1 : 0;
  }
}
