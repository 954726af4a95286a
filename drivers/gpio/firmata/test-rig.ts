import type { DeviceStatus, PanelInput } from '../../types';
import { openSerialTransport } from '../../serial/byte-transport';
import { FirmataPanel, type FirmataPanelOptions } from './driver';
import { FirmataMockLink } from './mock-link';
import { StandardFirmataSim, type FirmataSimOptions } from './sim';
import { DEFAULT_WIRING } from './wiring';

/** The driver wired to a simulated board over MockBinding, with what it reported recorded. */
export function panelOnSim(o: { readonly sim?: FirmataSimOptions; readonly panel?: Partial<FirmataPanelOptions> } = {}) {
  const sim = new StandardFirmataSim(o.sim);
  const link = new FirmataMockLink(sim);
  const panel = new FirmataPanel({
    where: `${link.path} at 57600 baud`,
    connect: () => openSerialTransport({ path: link.path, baudRate: 57_600, binding: link.binding }),
    wiring: DEFAULT_WIRING,
    openTimeoutMs: 300,
    queryIntervalMs: 50,
    ...o.panel,
  });
  const inputs: Array<[PanelInput, boolean]> = [];
  const statuses: DeviceStatus[] = [];
  panel.onInput((input, active) => inputs.push([input, active]));
  panel.onStatus((s) => statuses.push(s));
  return { sim, link, panel, inputs, statuses };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll until `check` holds (or fail after `ms`): the wire is asynchronous. */
export async function until(check: () => boolean, ms = 500): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}
