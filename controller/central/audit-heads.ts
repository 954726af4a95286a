import type { AuditPoint } from '../sync/protocol';
import type { KioskHeads } from './store';

/**
 * The receiver's side of "cutting rows off the end of a kiosk's audit chain is detectable".
 * A kiosk's chain only grows, so every head it reports is at least the highest one seen before.
 * The receiver remembers the highest and the last few (seq → hash) and refuses a new packet
 * whose request shows the chain went back:
 *  - a head below the highest seen: rows were cut off the end;
 *  - a head, or the kiosk's anchor (its own row at the last head it was told of), at a seq the
 *    receiver remembers but with another hash: rows were cut and the chain grew again, which a
 *    head-only check would miss once the new chain is longer than the old.
 * Only signed requests count (protocol.ts): nobody else can move a kiosk's head.
 */

export const RECENT_HEADS = 64;

export type HeadCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function checkAuditHead(seen: KioskHeads | null, head: AuditPoint, anchor: AuditPoint | null): HeadCheck {
  if (seen === null) return { ok: true };
  const { highest } = seen;
  if (head.seq < highest.seq) {
    return { ok: false, reason: `the kiosk's audit chain ends at entry ${head.seq}, but this receiver has seen it reach ${highest.seq}: entries were removed from its end` };
  }
  const known = new Map<number, string>([...seen.recent.map((p): [number, string] => [p.seq, p.hash]), [highest.seq, highest.hash]]);
  const headWas = known.get(head.seq);
  if (headWas !== undefined && headWas !== head.hash) {
    return { ok: false, reason: `the kiosk's audit entry ${head.seq} is not the one this receiver saw before: its chain was rewritten` };
  }
  if (anchor !== null) {
    const anchorWas = known.get(anchor.seq);
    if (anchorWas !== undefined && anchorWas !== anchor.hash) {
      return { ok: false, reason: `the kiosk's audit entry ${anchor.seq} is not the one this receiver saw before: entries were removed and the chain grew again` };
    }
  }
  return { ok: true };
}

/** The heads after accepting `head` (never lower than before). */
export function advanceAuditHeads(seen: KioskHeads | null, head: AuditPoint, at: string): KioskHeads {
  if (seen !== null && head.seq <= seen.highest.seq) return seen;
  const recent = [...(seen?.recent ?? []).filter((p) => p.seq !== head.seq), { seq: head.seq, hash: head.hash }].slice(-RECENT_HEADS);
  return { highest: { seq: head.seq, hash: head.hash, at }, recent };
}
