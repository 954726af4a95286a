import type { PrinterStatus } from '../../drivers/types';

/** Something staff must act on, kept for /healthz (the newest few) and logged as it happens. */
export type StaffAlert =
  | { readonly at: string; readonly device: 'printer'; readonly status: PrinterStatus['kind']; readonly trackingCode: string }
  | { readonly at: string; readonly device: 'panel'; readonly status: 'tamper' }
  /** The printer cannot print, found before anyone needed it (no receipt, so no tracking code). */
  | { readonly at: string; readonly device: 'printer'; readonly status: 'paper-out' | 'cover-open' | 'not-ready' }
  /** A citizen asked for staff: on the screen, or with the panel's button. Nothing about who. */
  | { readonly at: string; readonly device: 'screen' | 'panel'; readonly status: 'help' };

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
