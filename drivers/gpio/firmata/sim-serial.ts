import { SerialPort } from 'serialport';
import { StandardFirmataSim, type FirmataSimOptions } from './sim';

/**
 * The simulated board on a real tty (one end of a socat pty pair), so the driver can be tried
 * through real termios and chunking, or from another process.
 */
export async function serveFirmataSim(o: { readonly path: string; readonly baudRate: number; readonly sim?: FirmataSimOptions }): Promise<{ sim: StandardFirmataSim; close: () => Promise<void> }> {
  const sim = new StandardFirmataSim(o.sim);
  const port = new SerialPort({ path: o.path, baudRate: o.baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  port.on('data', (chunk: Buffer) => sim.receive(new Uint8Array(chunk)));
  port.on('error', () => undefined);
  sim.attach((bytes) => {
    if (port.isOpen) port.write(Buffer.from(bytes));
  });
  return {
    sim,
    close: () =>
      new Promise<void>((resolve) => {
        sim.detach();
        if (!port.isOpen) resolve();
        else port.close(() => resolve());
      }),
  };
}
