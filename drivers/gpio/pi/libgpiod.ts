/**
 * Role (GPIO transport): a GpioChip through libgpiod's command-line tools (Debian package
 * `gpiod`), the kernel's GPIO character device without a native addon: `gpiodetect` finds the
 * header's chip by its label, `gpioget` reads inputs once, `gpiomon` reports their edges, and
 * one `gpioset` per output line holds it at its level for as long as it runs (a line requested
 * through the character device goes back to its default when the process that holds it exits).
 * Both generations of the tools are spoken: v1.6 (Raspberry Pi OS Bookworm) and v2 (Trixie),
 * told apart by `gpiodetect --version`. docs/facts/gpio-chardev.md has the facts and sources.
 *
 * A changed output is a new `gpioset` (the old one is stopped first: a line has one holder);
 * a blinking LED costs a process start per edge, a few milliseconds on a Pi.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Bias, GpioChip, InputLine } from './chip';

export type ToolsGeneration = 1 | 2;

export interface LibgpiodOptions {
  /** Where the tools are; PATH by default (tests point it at fakes). */
  readonly toolsDir?: string;
  /** Extra environment for the tools (tests). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface ChipInfo {
  readonly name: string;
  readonly label: string;
  readonly lines: number;
}

/** The labels of the chip that drives the 40-pin header, by board (docs/facts/gpio-chardev.md). */
export const HEADER_CHIP_LABELS = ['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835'] as const;

type Run = { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly message: string; readonly missing: boolean };

const tool = (o: LibgpiodOptions, name: string): string => (o.toolsDir ? path.join(o.toolsDir, name) : name);

function run(o: LibgpiodOptions, name: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(tool(o, name), args, { env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-64 * 1024)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4 * 1024)));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, missing: e.code === 'ENOENT', message: `${name}: ${e.message}` }));
    child.on('close', (code) => resolve(code === 0 ? { ok: true, stdout } : { ok: false, missing: false, message: `${name} exited with ${code}: ${stderr.trim() || 'no message'}` }));
  });
}

const NOT_INSTALLED = "libgpiod's tools are not installed: install the Debian package 'gpiod' (sudo apt-get install -y gpiod)";

/** Which generation of the tools is installed, or why none can be used. */
export async function toolsGeneration(o: LibgpiodOptions = {}): Promise<ToolsGeneration | { readonly error: string }> {
  const r = await run(o, 'gpiodetect', ['--version']);
  if (!r.ok) return { error: r.missing ? NOT_INSTALLED : r.message };
  const m = /\(libgpiod\) v(\d+)\./.exec(r.stdout);
  if (m?.[1] === '1') return 1;
  if (m?.[1] === '2') return 2;
  return { error: `unknown libgpiod tools: gpiodetect --version said "${r.stdout.trim().slice(0, 80)}"` };
}

/** `gpiodetect`: "gpiochip0 [pinctrl-bcm2711] (58 lines)", one chip a line (both generations). */
export function parseGpiodetect(out: string): ChipInfo[] {
  const chips: ChipInfo[] = [];
  for (const line of out.split('\n')) {
    const m = /^(gpiochip\d+) \[(.*)\] \((\d+) lines\)/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) chips.push({ name: m[1], label: m[2], lines: Number(m[3]) });
  }
  return chips;
}

/** The chip named, or with chip "auto" the header's chip found by its label. */
export async function findChip(chip: string, o: LibgpiodOptions = {}): Promise<ChipInfo | { readonly error: string }> {
  const r = await run(o, 'gpiodetect', []);
  if (!r.ok) return { error: r.missing ? NOT_INSTALLED : `${r.message} (is the user in the gpio group?)` };
  const chips = parseGpiodetect(r.stdout);
  const list = chips.map((c) => `${c.name} [${c.label}]`).join(', ') || 'none';
  if (chip === 'auto') {
    for (const label of HEADER_CHIP_LABELS) {
      const found = chips.find((c) => c.label === label);
      if (found) return found;
    }
    return { error: `no GPIO chip of the Pi's header found (chips: ${list}); set devices.gpio.chip to its name` };
  }
  return chips.find((c) => c.name === chip) ?? { error: `there is no ${chip} (chips: ${list})` };
}

/** The arguments of each tool, by generation. */
export const ARGS = {
  get: (g: ToolsGeneration, chip: string, bias: Bias, offsets: readonly number[]): string[] =>
    g === 1 ? ['-B', v1Bias(bias), chip, ...offsets.map(String)] : ['-c', chip, '-b', bias, '--numeric', ...offsets.map(String)],
  mon: (g: ToolsGeneration, chip: string, bias: Bias, offsets: readonly number[]): string[] =>
    g === 1 ? ['-B', v1Bias(bias), '-b', '-F', '%o %e', chip, ...offsets.map(String)] : ['-c', chip, '-b', bias, '-F', '%o %e', ...offsets.map(String)],
  set: (g: ToolsGeneration, chip: string, offset: number, value: 0 | 1): string[] =>
    g === 1 ? ['-m', 'signal', chip, `${offset}=${value}`] : ['-c', chip, `${offset}=${value}`],
};
const v1Bias = (b: Bias): string => (b === 'disabled' ? 'disable' : b);
/** `%e`: v1 prints 1 rising, 0 falling; v2 prints 1 rising, 2 falling. */
const risingEdge = (e: string): boolean => e === '1';

interface Holder {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  stopping: boolean;
}

export class LibgpiodChip implements GpioChip {
  readonly name: string;
  readonly label: string;
  readonly lines: number;
  private readonly outputs = new Map<number, { holder: Holder | undefined; want: 0 | 1; busy: Promise<void> }>();
  private monitors: Holder[] = [];
  private readonly goneListeners = new Set<(why: string) => void>();
  private gone = false;
  private closed = false;

  constructor(
    info: ChipInfo,
    private readonly generation: ToolsGeneration,
    private readonly o: LibgpiodOptions = {},
  ) {
    this.name = info.name;
    this.label = info.label;
    this.lines = info.lines;
  }

  setOutput(offset: number, value: 0 | 1): void {
    const line = this.outputs.get(offset) ?? { holder: undefined, want: value, busy: Promise.resolve() };
    this.outputs.set(offset, line);
    line.want = value;
    // One change at a time per line: the old holder is gone before the new one asks for the line.
    line.busy = line.busy.then(async () => {
      if (this.closed || line.want !== value) return; // a later value is queued: skip this one
      if (line.holder) await this.stop(line.holder);
      line.holder = this.hold('gpioset', ARGS.set(this.generation, this.name, offset, value));
    });
  }

  async watchInputs(lines: readonly InputLine[], onLevel: (offset: number, value: 0 | 1) => void): Promise<void> {
    await Promise.all(this.monitors.splice(0).map((m) => this.stop(m)));
    // One request per bias: the tools apply one bias to every line they request.
    const byBias = new Map<Bias, number[]>();
    for (const l of lines) byBias.set(l.bias, [...(byBias.get(l.bias) ?? []), l.offset]);
    for (const [bias, offsets] of byBias) {
      // Read first (the edges come after), then hold the lines and report every edge.
      const got = await run(this.o, 'gpioget', ARGS.get(this.generation, this.name, bias, offsets));
      if (!got.ok) {
        this.lose(got.missing ? NOT_INSTALLED : got.message);
        return;
      }
      const values = got.stdout.trim().split(/\s+/);
      offsets.forEach((offset, i) => onLevel(offset, values[i] === '1' ? 1 : 0));
      const mon = this.hold('gpiomon', ARGS.mon(this.generation, this.name, bias, offsets));
      if (!mon.child.stdout) continue;
      createInterface({ input: mon.child.stdout }).on('line', (line) => {
        const [offset, edge] = line.trim().split(/\s+/);
        const n = Number(offset);
        if (edge !== undefined && Number.isInteger(n) && offsets.includes(n)) onLevel(n, risingEdge(edge) ? 1 : 0);
      });
      this.monitors.push(mon);
    }
  }

  async idle(): Promise<void> {
    await Promise.all([...this.outputs.values()].map((l) => l.busy));
  }

  onGone(listener: (why: string) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    const holders = [...this.monitors.splice(0), ...[...this.outputs.values()].flatMap((l) => (l.holder ? [l.holder] : []))];
    this.outputs.clear();
    await Promise.all(holders.map((h) => this.stop(h)));
  }

  /** A tool that runs until stopped; its death when we did not stop it means the chip is lost. */
  private hold(name: string, args: readonly string[]): Holder {
    const child = spawn(tool(this.o, name), args, { env: { ...process.env, ...this.o.env }, stdio: ['ignore', name === 'gpiomon' ? 'pipe' : 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2048)));
    const holder: Holder = {
      child,
      stopping: false,
      exited: new Promise((resolve) => {
        child.on('error', (e: NodeJS.ErrnoException) => {
          if (!holder.stopping) this.lose(e.code === 'ENOENT' ? NOT_INSTALLED : `${name}: ${e.message}`);
          resolve();
        });
        child.on('close', (code, signal) => {
          if (!holder.stopping) this.lose(`${name} ${args.join(' ')} stopped (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no message'}`);
          resolve();
        });
      }),
    };
    return holder;
  }

  private async stop(h: Holder): Promise<void> {
    h.stopping = true;
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGTERM');
    await h.exited;
  }

  private lose(why: string): void {
    if (this.gone || this.closed) return;
    this.gone = true;
    for (const l of this.goneListeners) l(why);
  }
}
