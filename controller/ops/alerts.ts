import type { Logger } from 'pino';
import { z } from 'zod';
import type { PrinterStatus } from '../../drivers/types';
import { STORAGE_PROBLEMS, type StorageProblem } from '../store/storage-check';
import type { StoredAlert } from '../store/store';

/** Something staff must act on, kept for /healthz (the newest few) and logged as it happens. */
export type StaffAlert =
  | { readonly at: string; readonly device: 'printer'; readonly status: PrinterStatus['kind']; readonly trackingCode: string }
  | { readonly at: string; readonly device: 'panel'; readonly status: 'tamper' }
  /** The printer cannot print, found before anyone needed it (no receipt, so no tracking code). */
  | { readonly at: string; readonly device: 'printer'; readonly status: 'paper-out' | 'cover-open' | 'not-ready' }
  /** A citizen asked for staff: on the screen, or with the panel's button. Nothing about who. */
  | { readonly at: string; readonly device: 'screen' | 'panel'; readonly status: 'help' }
  /** The data directory cannot take the next enrollment (issue #12): the kiosk is out of service. */
  | { readonly at: string; readonly device: 'storage'; readonly status: StorageProblem }
  /**
   * A device that was working stopped (its cable pulled, it stopped answering): the citizen's
   * screen says staff have been told, and this is the telling. The printer's own problems come
   * from the printer watch (paper, cover) instead.
   */
  | { readonly at: string; readonly device: AlertedDevice; readonly status: 'fault' | 'disconnected' };

/** The devices a device-down alert names; the front panel board is `panel`, as in its other alerts. */
export type AlertedDevice = 'fingerprint' | 'document' | 'camera' | 'panel';

/**
 * An alert as /healthz shows it: when, which device, what is wrong. /healthz is not the
 * citizen's screen (issue #11), so nothing that leads to a citizen goes in: the fields are
 * picked, not copied, and a field added to StaffAlert later stays out until someone adds it here.
 */
export interface HealthAlert {
  readonly at: string;
  readonly device: StaffAlert['device'];
  readonly status: StaffAlert['status'];
}

export function healthAlert(a: StaffAlert): HealthAlert {
  return { at: a.at, device: a.device, status: a.status };
}

const PRINTER_STATUSES = ['ready', 'paper-out', 'paper-low', 'cover-open', 'offline', 'fault'] as const satisfies readonly PrinterStatus['kind'][];

/** A stored alert read back: only what this version knows how to show. */
const storedAlert = z.union([
  z.object({ at: z.string(), device: z.literal('printer'), status: z.enum([...PRINTER_STATUSES, 'not-ready']) }),
  z.object({ at: z.string(), device: z.literal('panel'), status: z.enum(['tamper', 'help']) }),
  z.object({ at: z.string(), device: z.literal('screen'), status: z.literal('help') }),
  z.object({ at: z.string(), device: z.literal('storage'), status: z.enum(STORAGE_PROBLEMS) }),
  z.object({ at: z.string(), device: z.enum(['fingerprint', 'document', 'camera', 'panel']), status: z.enum(['fault', 'disconnected']) }),
]);

/**
 * The staff alerts /healthz shows: the newest `limit`, kept in the kiosk's database so that a
 * restart does not erase them (issue #12). Only the /healthz fields are stored (when, which
 * device, what), never whose. A store that cannot take the write (disk full: itself an alert)
 * still shows the alert until the next restart.
 */
export interface AlertBook {
  raise(alert: StaffAlert): void;
  recent(): readonly HealthAlert[];
}

export interface AlertStore {
  saveAlert(alert: StoredAlert): Promise<void>;
  recentAlerts(limit: number): Promise<StoredAlert[]>;
}

export async function openAlertBook(store: AlertStore, log: Logger, limit = 20): Promise<AlertBook> {
  const alerts: HealthAlert[] = [];
  for (const row of await store.recentAlerts(limit)) {
    const parsed = storedAlert.safeParse(row);
    if (parsed.success) alerts.push(parsed.data);
  }
  return {
    raise(alert) {
      const shown = healthAlert(alert);
      alerts.push(shown);
      if (alerts.length > limit) alerts.shift();
      store.saveAlert(shown).catch((err: unknown) => log.warn({ err, device: shown.device, status: shown.status }, 'staff alert not saved: it shows until the next restart'));
    },
    recent: () => alerts,
  };
}
