// Test helper: libgpiod's command-line tools (gpiodetect, gpioget, gpiomon, gpioset) faked on a
// chip that lives in a directory ($FAKE_GPIOD_DIR): `driven.json` holds the levels the outside
// world drives ({"5": 0}), each running gpioset holds `out-<offset>` with its level, each
// running gpiomon or gpioset holds `held-<offset>` (a line has one holder: a second gets EBUSY).
// The arguments are checked as the real tools of generation $FAKE_GPIOD_GEN (1: v1.6, 2: v2)
// parse them (libgpiod's tools/*.c); anything else exits 2, as getopt does.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [tool, ...args] = process.argv.slice(2);
const dir = process.env.FAKE_GPIOD_DIR ?? '.';
const gen = process.env.FAKE_GPIOD_GEN === '2' ? 2 : 1;
const CHIPS = [
  ['gpiochip0', 'pinctrl-rp1', 54],
  ['gpiochip10', 'gpio-brcmstb@107d508500', 32],
];
const die = (code, msg) => {
  process.stderr.write(`${tool}: ${msg}\n`);
  process.exit(code);
};
/** The levels driven from outside; the last good read if the file is being replaced. */
let lastDriven = {};
const driven = () => {
  try {
    if (existsSync(join(dir, 'driven.json'))) lastDriven = JSON.parse(readFileSync(join(dir, 'driven.json'), 'utf8'));
  } catch {
    // replaced under us: keep the last levels read
  }
  return lastDriven;
};
const level = (offset, bias) => {
  const d = driven()[offset];
  if (d !== undefined) return d;
  return bias === 'pull-up' ? 1 : 0;
};
const BIASES1 = ['as-is', 'disable', 'pull-down', 'pull-up'];
const BIASES2 = ['as-is', 'disabled', 'pull-down', 'pull-up'];

/** Parses options as the real tool of this generation does; returns { opts, rest }. */
function parse(spec) {
  const opts = {};
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || rest.length > 0) {
      rest.push(a);
      continue;
    }
    const s = spec[a];
    if (s === undefined) die(2, `unrecognized option '${a}'`);
    opts[s.name] = s.value ? args[++i] : true;
  }
  return { opts, rest };
}
const chipOf = (name) => CHIPS.find((c) => c[0] === name) ?? die(1, `unable to open chip '${name}': No such file or directory`);
const hold = (offsets) => {
  for (const o of offsets) {
    if (existsSync(join(dir, `held-${o}`))) die(1, `error setting the GPIO line values: Device or resource busy`);
  }
  for (const o of offsets) writeFileSync(join(dir, `held-${o}`), String(process.pid));
  const release = () => {
    for (const o of offsets) rmSync(join(dir, `held-${o}`), { force: true });
    for (const o of offsets) rmSync(join(dir, `out-${o}`), { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', release);
  process.on('SIGINT', release);
};

if (args[0] === '--version') {
  process.stdout.write(`${tool} (libgpiod) v${gen === 1 ? '1.6.3' : '2.1.3'}\nCopyright (C) 2017-2023 Bartosz Golaszewski\n`);
  process.exit(0);
}
if (tool === 'gpiodetect') {
  for (const [n, l, c] of CHIPS) process.stdout.write(`${n} [${l}] (${c} lines)\n`);
  process.exit(0);
}
const lineArgs = (rest, chip) => {
  const offsets = rest.map(Number);
  if (offsets.some((o) => !Number.isInteger(o) || o < 0 || o >= chip[2])) die(1, 'offset out of range');
  return offsets;
};
if (tool === 'gpioget' || tool === 'gpiomon') {
  const spec =
    gen === 1
      ? { '-B': { name: 'bias', value: true }, '-b': { name: 'linebuf' }, '-F': { name: 'format', value: true } }
      : { '-c': { name: 'chip', value: true }, '-b': { name: 'bias', value: true }, '--numeric': { name: 'numeric' }, '-F': { name: 'format', value: true } };
  const { opts, rest } = parse(spec);
  const chip = chipOf(gen === 1 ? rest.shift() : opts.chip);
  const bias = opts.bias ?? 'as-is';
  if (!(gen === 1 ? BIASES1 : BIASES2).includes(bias)) die(1, `invalid bias: ${bias}`);
  const canon = bias === 'disable' ? 'disabled' : bias;
  const offsets = lineArgs(rest, chip);
  if (tool === 'gpioget') {
    if (gen === 2 && !opts.numeric) die(1, 'expected --numeric in this test');
    process.stdout.write(offsets.map((o) => level(o, canon)).join(' ') + '\n');
    process.exit(0);
  }
  if (opts.format !== '%o %e') die(1, `unexpected format ${opts.format}`);
  if (gen === 1 && !opts.linebuf) die(1, 'expected -b (line-buffered) in this test');
  hold(offsets);
  const last = new Map(offsets.map((o) => [o, level(o, canon)]));
  setInterval(() => {
    for (const o of offsets) {
      const now = level(o, canon);
      if (now === last.get(o)) continue;
      last.set(o, now);
      process.stdout.write(`${o} ${now === 1 ? '1' : gen === 1 ? '0' : '2'}\n`);
    }
  }, 10);
} else if (tool === 'gpioset') {
  const spec = gen === 1 ? { '-m': { name: 'mode', value: true } } : { '-c': { name: 'chip', value: true } };
  const { opts, rest } = parse(spec);
  if (gen === 1 && opts.mode !== 'signal') die(1, 'expected --mode=signal in this test');
  const chip = chipOf(gen === 1 ? rest.shift() : opts.chip);
  const pairs = rest.map((p) => p.split('=').map(Number));
  lineArgs(pairs.map(([o]) => String(o)), chip);
  hold(pairs.map(([o]) => o));
  for (const [o, v] of pairs) writeFileSync(join(dir, `out-${o}`), String(v));
  setInterval(() => undefined, 1 << 30);
} else {
  die(127, 'unknown tool');
}
