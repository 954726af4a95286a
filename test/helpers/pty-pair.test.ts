import { afterEach, describe, expect, it } from 'vitest';
import { PtyPair, realPort, requireSocat } from './pty-pair';

const savedPath = process.env['PATH'];
afterEach(() => {
  process.env['PATH'] = savedPath;
  delete process.env['TEST_PRINTER_PORT'];
  delete process.env['TEST_PRINTER_BAUD'];
});

describe('the pty pair helper', () => {
  it('fails, naming the Debian package, when socat is not installed', async () => {
    process.env['PATH'] = '/nonexistent';
    expect(() => requireSocat()).toThrow(/Debian package 'socat'/);
    const pty = new PtyPair();
    await expect(pty.start()).rejects.toThrow(/apt-get install -y socat/);
    await pty.dispose();
  });

  it('takes a real device port, and its baud, from the environment', () => {
    expect(realPort('TEST_PRINTER_PORT', 115200)).toBeUndefined();
    process.env['TEST_PRINTER_PORT'] = '/dev/ttyUSB1';
    expect(realPort('TEST_PRINTER_PORT', 115200)).toEqual({ path: '/dev/ttyUSB1', baudRate: 115200 });
    process.env['TEST_PRINTER_BAUD'] = '9600';
    expect(realPort('TEST_PRINTER_PORT', 115200)).toEqual({ path: '/dev/ttyUSB1', baudRate: 9600 });
  });
});
