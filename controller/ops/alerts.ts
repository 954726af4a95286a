import type { PrinterStatus } from '../../drivers/types';

/** Something staff must act on, kept for /healthz (the newest few) and logged as it happens. */
export type StaffAlert =
  | { readonly at: string; readonly device: 'printer'; readonly status: PrinterStatus['kind']; readonly trackingCode: string }
  | { readonly at: string; readonly device: 'panel'; readonly status: 'tamper' };
