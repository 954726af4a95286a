import { fromCallback, fromPromise, type EventObject } from 'xstate';
import { FACE_TAKE_STILL, type CapturedFace, type DocumentOutcome, type InvitationOutcome, type FingerOutcome, type PrintOutcome, type ProofOutcome, type SignatureOutcome, type SubmitOutput } from './context';
import {
  enrollmentMachine,
  type CaptureFingerInput,
  type CheckSignatureInput,
  type FaceSessionInput,
  type PrintInput,
  type ProofPhotoInput,
  type ReadDocumentInput,
  type SubmitInput,
  type TypedNumberInput,
  type WatchInvitationsInput,
} from './machine';
import type { ProgressFn } from '../../domain/devices';
import type { FaceCheckView } from '../../domain/kiosk-channel/view-model';
import type { Bilingual } from '../../domain/language';

/**
 * The I/O the statechart invokes, as plain async functions. main.ts builds these from the
 * devices, capture checks, packet sealing and the store; `provideServices` turns them into the
 * XState actors the machine names, so neither side knows about the other's internals.
 */

export type FaceSessionEvent =
  | { type: 'FACE_GUIDANCE'; guidance?: Bilingual; checks: readonly FaceCheckView[]; steady?: boolean }
  | { type: 'FACE_CAPTURED'; face: CapturedFace }
  | { type: 'FACE_FAULT'; message: string };

/** A running face session: the live guidance loop, asked for the still by the statechart. */
export interface FaceSession {
  /** Take the still now, if the face is still steady (else say it is not, and carry on). */
  takeStill(): void;
  stop(): void;
}

export interface KioskServices {
  readDocument(input: ReadDocumentInput, signal: AbortSignal): Promise<DocumentOutcome>;
  parseTypedNumber(input: TypedNumberInput): Promise<DocumentOutcome>;
  /** On the start screen: listen for invitations until the returned function is called. */
  watchInvitations(input: WatchInvitationsInput, report: (o: InvitationOutcome) => void): () => void;
  captureFinger(input: CaptureFingerInput, onProgress: ProgressFn, signal: AbortSignal): Promise<FingerOutcome>;
  /** A still of the citizen's hand, proving a finger exception. */
  takeProofPhoto(input: ProofPhotoInput, signal: AbortSignal): Promise<ProofOutcome>;
  /** Start live guidance; calls `emit` per analysed frame, and once with the still when asked for it. */
  faceSession(input: FaceSessionInput, emit: (event: FaceSessionEvent) => void): FaceSession;
  checkSignature(input: CheckSignatureInput): Promise<SignatureOutcome>;
  submit(input: SubmitInput): Promise<SubmitOutput>;
  printReceipt(input: PrintInput, signal: AbortSignal): Promise<PrintOutcome>;
}

export function provideServices(s: KioskServices) {
  return enrollmentMachine.provide({
    actors: {
      readDocument: fromPromise<DocumentOutcome, ReadDocumentInput>(({ input, signal }) => s.readDocument(input, signal)),
      parseTypedNumber: fromPromise<DocumentOutcome, TypedNumberInput>(({ input }) => s.parseTypedNumber(input)),
      watchInvitations: fromCallback<EventObject, WatchInvitationsInput>(({ input, sendBack }) => s.watchInvitations(input, (outcome) => sendBack({ type: 'INVITATION', outcome }))),
      captureFinger: fromCallback<EventObject, CaptureFingerInput>(({ input, sendBack }) => {
        const ac = new AbortController();
        let lastSent = -1;
        const onProgress: ProgressFn = (fraction) => {
          // Whole percent steps are smooth enough for a progress bar and bound the pushes.
          const rounded = Math.round(fraction * 100) / 100;
          if (rounded === lastSent) return;
          lastSent = rounded;
          sendBack({ type: 'FINGER_PROGRESS', fraction: rounded });
        };
        s.captureFinger(input, onProgress, ac.signal).then(
          (outcome) => {
            if (!ac.signal.aborted) sendBack({ type: 'FINGER_RESULT', outcome });
          },
          (err: unknown) => {
            if (!ac.signal.aborted) sendBack({ type: 'FINGER_RESULT', outcome: { kind: 'fault', message: err instanceof Error ? err.message : String(err) } });
          },
        );
        return () => ac.abort();
      }),
      takeProofPhoto: fromPromise<ProofOutcome, ProofPhotoInput>(({ input, signal }) => s.takeProofPhoto(input, signal)),
      faceSession: fromCallback<EventObject, FaceSessionInput>(({ input, sendBack, receive }) => {
        const session = s.faceSession(input, (event) => sendBack(event));
        receive((event) => {
          if (event.type === FACE_TAKE_STILL) session.takeStill();
        });
        return () => session.stop();
      }),
      checkSignature: fromPromise<SignatureOutcome, CheckSignatureInput>(({ input }) => s.checkSignature(input)),
      submitEnrollment: fromPromise<SubmitOutput, SubmitInput>(({ input }) => s.submit(input)),
      printReceipt: fromPromise<PrintOutcome, PrintInput>(({ input, signal }) => s.printReceipt(input, signal)),
    },
  });
}
