import { describe, expect, it } from 'vitest';
import { parseKioskArgs } from '../../../../controller/cli/kiosk-files';

const OWN = { json: 'boolean', to: 'string' } as const;

describe("a kiosk command's arguments", () => {
  it('reads the kiosk files, its own options in both forms, and its words', () => {
    expect(parseKioskArgs(['--config', 'c.json', '--data-dir=/d', '--to=/media/usb', '--json'], OWN)).toEqual({
      kind: 'ok',
      files: { config: 'c.json', dataDir: '/d' },
      strings: { to: '/media/usb' },
      flags: { json: true },
      positionals: [],
    });
    expect(parseKioskArgs(['/media/usb', '--to', 'x'], OWN, { positionals: 1 })).toMatchObject({ kind: 'ok', positionals: ['/media/usb'], strings: { to: 'x' } });
    expect(parseKioskArgs([], OWN)).toMatchObject({ kind: 'ok', strings: {}, flags: {}, positionals: [] });
  });

  it('answers help for --help and -h, wherever they are', () => {
    expect(parseKioskArgs(['--json', '--help'], OWN)).toEqual({ kind: 'help' });
    expect(parseKioskArgs(['-h'], OWN)).toEqual({ kind: 'help' });
  });

  it('refuses, naming the word: an unknown option, a missing value, an option where the value goes, a value on a flag, a word too many', () => {
    for (const [argv, message] of [
      [['--frobnicate'], 'unknown option "--frobnicate"'],
      [['--to'], '--to needs a value'],
      [['--to', '--json'], '--to needs a value'],
      [['--config'], '--config needs a value'],
      [['--json=yes'], '--json takes no value'],
      [['stray'], 'unexpected argument "stray"'],
    ] as const) {
      expect({ argv, r: parseKioskArgs(argv, OWN) }).toEqual({ argv, r: { kind: 'error', message } });
    }
    expect(parseKioskArgs(['a', 'b'], OWN, { positionals: 1 })).toEqual({ kind: 'error', message: 'unexpected argument "b"' });
  });
});
