/**
 * Role (GPIO protocol): a GPIO chip as the Linux GPIO character device offers it
 * (/dev/gpiochipN; docs/facts/gpio-chardev.md): lines by offset, each requested as an output
 * holding a level or as an input with a bias, whose edges are reported. The Pi's IO plugin
 * (io.ts) is written against this interface; libgpiod.ts implements it with libgpiod's tools,
 * tests with a fake chip.
 */

/** Line bias, as the character device's v2 uAPI and libgpiod name them. */
export type Bias = 'pull-up' | 'pull-down' | 'disabled' | 'as-is';

export interface InputLine {
  readonly offset: number;
  readonly bias: Bias;
}

export interface GpioChip {
  /** "gpiochip0" */
  readonly name: string;
  /** The driver's label: "pinctrl-bcm2711" (Pi 4), "pinctrl-rp1" (Pi 5). */
  readonly label: string;
  /** How many lines the chip has. */
  readonly lines: number;
  /** Drive a line as an output at `value`, requesting it on first use. */
  setOutput(offset: number, value: 0 | 1): void;
  /**
   * Watch these lines as inputs (the set replaces the one watched before): each is read once
   * now, then reported on every edge. Resolves once they are watched.
   */
  watchInputs(lines: readonly InputLine[], onLevel: (offset: number, value: 0 | 1) => void): Promise<void>;
  /** Resolves when every output set so far is driven. */
  idle(): Promise<void>;
  /** The chip (or what talks to it) failed: called once, with why. */
  onGone(listener: (why: string) => void): () => void;
  /** Let every line go. */
  close(): Promise<void>;
}
