import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../controller/start-args';

describe('npm start options', () => {
  it('takes --port and --data-dir', () => {
    expect(parseArgs(['--port', '9000', '--data-dir', '/var/lib/kiosk'], {})).toMatchObject({ port: 9000, dataDir: '/var/lib/kiosk', fast: false });
  });

  it('falls back to KIOSK_PORT and KIOSK_DATA_DIR, and lets the flags win over them', () => {
    const env = { KIOSK_PORT: '7000', KIOSK_DATA_DIR: '/env/dir' };
    expect(parseArgs([], env)).toMatchObject({ port: 7000, dataDir: '/env/dir' });
    expect(parseArgs(['--port', '7100'], env)).toMatchObject({ port: 7100, dataDir: '/env/dir' });
  });

  it('says what is wrong with a bad port or an unknown option', () => {
    expect(parseArgs(['--port', 'eighty'], {}).error).toMatch(/port must be a whole number/);
    expect(parseArgs([], { KIOSK_PORT: '70000' }).error).toMatch(/port/);
    expect(parseArgs(['--colour'], {}).error).toMatch(/unknown option "--colour"/);
  });
});
