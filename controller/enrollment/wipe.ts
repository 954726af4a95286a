import type { CapturedFace, EnrollmentContext, FingerOutcome, FingerSlot } from './context';
import { keepsEarlierAttempt, keepsEarlierFace, releasedFingerData } from './assigners';
import type { GreyImage } from '../../domain/images';

/**
 * Biometric bytes are overwritten before the statechart lets go of them, so a citizen's
 * fingerprints, face and signature do not linger in freed memory (docs/architecture.md, "sealed
 * at birth"). This is the only place that writes zeros: the `wipeBiometrics` action runs it,
 * with one of these targets, before the assigner that drops the reference.
 */
export type WipeTarget =
  /** Everything the session holds: it was abandoned, or the packet was sealed. */
  | { readonly what: 'session' }
  /** Of the best attempt so far and this new one, the one the assigner will not keep. */
  | { readonly what: 'worseFingerAttempt'; readonly outcome: FingerOutcome }
  /** The best attempt kept while the citizen retries, when the finger starts over. */
  | { readonly what: 'bestFingerAttempt' }
  /** The finger being asked for, and its best attempt: an exception replaces them. */
  | { readonly what: 'currentFinger' }
  /** The photo of the hand held for the hall officer's answer: refused, or the declaration cancelled. */
  | { readonly what: 'heldProof' }
  /**
   * What the fingers no longer need: the earlier state of fingers redone from review once they
   * are retaken, and photos of hands no finger refers to any more.
   */
  | { readonly what: 'releasedFingerData' }
  /** The photo on the confirm screen: retaken, or replaced by a new one. */
  | { readonly what: 'pendingFace' }
  /** The photo accepted earlier, when a newly accepted one replaces it. */
  | { readonly what: 'replacedFace' }
  /**
   * Of the best photo kept during retakes and another (`face`, a new photo; else the one on the
   * confirm screen, being retaken), the one the assigner will not keep.
   */
  | { readonly what: 'worseFacePhoto'; readonly face?: CapturedFace }
  /** The best photo kept during retakes, when the citizen accepts the one on screen instead. */
  | { readonly what: 'unusedBestFace' }
  /** The signature accepted earlier, when a new valid one replaces it. */
  | { readonly what: 'acceptedSignature' };

const fingerBytes = (f: { readonly png: Uint8Array; readonly image: GreyImage }): Uint8Array[] => [f.png, f.image.pixels];
const slotBytes = (s: FingerSlot): Uint8Array[] => (s.status === 'captured' ? fingerBytes(s) : []);

/** The buffers `target` names in `ctx` (pure: says what to wipe, wipes nothing). */
export function biometricBytes(ctx: EnrollmentContext, target: WipeTarget): Uint8Array[] {
  switch (target.what) {
    case 'session':
      return [
        ...ctx.fingers.flatMap(slotBytes),
        ...ctx.fingerRedoKept.flatMap(slotBytes),
        ...(ctx.fingerBest ? fingerBytes(ctx.fingerBest) : []),
        ...ctx.fingerProofs.map((p) => p.jpeg),
        ...(ctx.fingerExceptionPending?.proof ? [ctx.fingerExceptionPending.proof.jpeg] : []),
        ...(ctx.face.pending ? [ctx.face.pending.jpeg] : []),
        ...(ctx.face.best ? [ctx.face.best.jpeg] : []),
        ...(ctx.face.accepted ? [ctx.face.accepted.jpeg] : []),
        ...(ctx.signature.accepted ? [ctx.signature.accepted.png] : []),
      ];
    case 'worseFingerAttempt': {
      const o = target.outcome;
      if (o.kind !== 'captured') return [];
      const best = ctx.fingerBest;
      if (keepsEarlierAttempt(best, o)) return fingerBytes(o);
      return best ? fingerBytes(best) : [];
    }
    case 'bestFingerAttempt':
      return ctx.fingerBest ? fingerBytes(ctx.fingerBest) : [];
    case 'currentFinger': {
      const current = ctx.fingers[ctx.fingerIndex];
      if (!current) return [];
      return [...(current.status === 'captured' ? fingerBytes(current) : []), ...(ctx.fingerBest ? fingerBytes(ctx.fingerBest) : [])];
    }
    case 'heldProof':
      return ctx.fingerExceptionPending?.proof ? [ctx.fingerExceptionPending.proof.jpeg] : [];
    case 'releasedFingerData': {
      const released = releasedFingerData(ctx);
      return [...released.slots.flatMap(slotBytes), ...released.proofs.map((p) => p.jpeg)];
    }
    case 'pendingFace':
      return ctx.face.pending ? [ctx.face.pending.jpeg] : [];
    case 'replacedFace': {
      const { pending, accepted } = ctx.face;
      return pending && accepted && accepted !== pending ? [accepted.jpeg] : [];
    }
    case 'worseFacePhoto': {
      const { best } = ctx.face;
      const other = target.face ?? ctx.face.pending;
      if (!other) return [];
      if (keepsEarlierFace(best, other)) return [other.jpeg];
      return best && best.jpeg !== other.jpeg ? [best.jpeg] : [];
    }
    case 'unusedBestFace': {
      const { best, pending } = ctx.face;
      return best && best.jpeg !== pending?.jpeg ? [best.jpeg] : [];
    }
    case 'acceptedSignature':
      return ctx.signature.accepted ? [ctx.signature.accepted.png] : [];
  }
}

/** Overwrite every byte of `buffers` with zeros. */
export function overwrite(buffers: readonly Uint8Array[]): void {
  for (const b of buffers) b.fill(0);
}
