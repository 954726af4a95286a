import { FINGER_NAMES, LABELS, type LabelKey } from '../common/i18n';
import type { FingerPosition } from '../../domain/fingers';
import type { Dialog, Screen, ViewModel } from '../../domain/kiosk-channel/view-model';
import type { Lang } from '../../domain/language';

/**
 * What the kiosk says aloud (issue #15): one prompt for each screen and each phase of a screen,
 * each overlay and each dialog, made of the page's own labels (ui/common/i18n.ts), so the voice
 * says what the screen says. `npm run build:ui` renders every prompt in both languages into
 * ui/dist/kiosk/voice/<id>.<lang>.ogg (ui/voice-build.ts); the page plays the one for what it
 * shows (parts/voice.tsx). The type below makes a new screen or phase without a prompt fail to
 * compile; test/unit/ui/kiosk/voice-prompts.test.ts checks the table against the screens.
 */

/** `document-scan`, `fingerprints-place`, …: the screen's name, and its phase where it has one. */
type ScreenPromptId<S extends Screen = Screen> = S extends { readonly phase: infer P extends string } ? `${S['name']}-${P}` : S['name'];
type OverlayName = NonNullable<ViewModel['overlay']>['name'];

/**
 * "Place your finger" names the finger, one prompt for each (issue #15): a citizen who cannot
 * read hears "right index finger", and the prompt changes, so it is said again, when the finger does.
 */
type FingerPlacePromptId = `fingerprints-place-${FingerPosition}`;

export type PromptId =
  | Exclude<ScreenPromptId, 'fingerprints-place'>
  | FingerPlacePromptId
  | 'attract-staff-called'
  // A child's application: the guardian signs, and hears so (not "Please sign your name").
  | 'signature-guardian'
  // The receipt printer cannot print: said before the citizen starts, and before they submit.
  | 'attract-printer'
  | 'review-printer'
  | `overlay-${OverlayName}`
  | `dialog-${Dialog['name']}`;

/** A prompt is said from these: the page's labels, and the name of a finger. */
export type PromptPart = LabelKey | { readonly finger: FingerPosition };

/** The finger's name first: a prompt cut short by the next one (the finger placed) has said it. */
const placeFinger = (finger: FingerPosition): readonly PromptPart[] => ['fingerNow', { finger }, 'fingerPlace'];

export const VOICE_PROMPTS: { readonly [K in PromptId]: readonly PromptPart[] } = {
  attract: ['attractLead', 'start', 'attractNeeds'],
  'attract-staff-called': ['staffCalledTitle', 'staffCalledText'],
  'attract-printer': ['attractLead', 'start', 'voiceNoReceipt'],
  language: ['languageTitle', 'voiceLanguage'],
  'case-choose': ['caseTitle', 'caseHint'],
  'case-changes': ['changesTitle', 'changesHint'],
  'invitation-mismatch': ['notInvitedTitle', 'notInvitedTodo'],
  'guardian-scan': ['guardianTitle', 'guardianWhy'],
  'guardian-confirm': ['guardianConfirmTitle', 'guardianSigns'],
  iris: ['irisTitle', 'irisHint'],
  'document-scan': ['docTitle', 'docScanHow'],
  'document-typing': ['docTypeTitle', 'docTypeHint'],
  'document-reading': ['docReading'],
  'document-confirm': ['docConfirmTitle', 'voiceDocConfirm'],
  'document-mismatch': ['mismatchTitle', 'voiceMismatch'],
  'different-person': ['differentPersonTitle', 'voiceDifferentPerson'],
  'fingerprints-place-right_thumb': placeFinger('right_thumb'),
  'fingerprints-place-right_index': placeFinger('right_index'),
  'fingerprints-place-right_middle': placeFinger('right_middle'),
  'fingerprints-place-right_ring': placeFinger('right_ring'),
  'fingerprints-place-right_little': placeFinger('right_little'),
  'fingerprints-place-left_thumb': placeFinger('left_thumb'),
  'fingerprints-place-left_index': placeFinger('left_index'),
  'fingerprints-place-left_middle': placeFinger('left_middle'),
  'fingerprints-place-left_ring': placeFinger('left_ring'),
  'fingerprints-place-left_little': placeFinger('left_little'),
  'fingerprints-uploading': ['fingerUploading'],
  'fingerprints-low-quality': ['fingerLowQuality'],
  'fingerprints-duplicate': ['fingerDuplicate'],
  'fingerprints-no-finger': ['fingerNoFinger'],
  'fingerprints-fault': ['fingerFault', 'voiceFingerFault'],
  'fingerprints-accepted': ['fingerAccepted'],
  'fingerprints-unreadable': ['fingerUnreadable', 'voiceFingerUnreadable'],
  'fingerprints-proof-photo': ['proofAsk'],
  'fingerprints-proof-taking': ['proofTaking'],
  'fingerprints-staff-check': ['staffCheck'],
  'fingerprints-officer-check': ['officerCheckTitle', 'officerCheck'],
  'face-live': ['faceLook', 'faceAuto'],
  'face-captured': ['faceCapturedTitle', 'voiceFaceCaptured'],
  'face-fault': ['faceFault'],
  signature: ['signatureTitle', 'signatureHint'],
  'signature-guardian': ['signatureGuardianTitle', 'signatureGuardianHint'],
  review: ['reviewTitle', 'voiceReview'],
  'review-printer': ['reviewTitle', 'voiceNoReceipt', 'voiceReview'],
  submitting: ['submitting'],
  'submit-failed': ['submitFailedTitle', 'voiceSubmitFailed'],
  done: ['doneTitle', 'voiceDone'],
  abandoned: ['abandonedTitle', 'abandonedText'],
  'out-of-service': ['oosTitle', 'oosText'],
  'overlay-help': ['helpTitle', 'helpText'],
  'overlay-timeout-prompt': ['timeoutTitle', 'voiceTimeout'],
  'dialog-finger-exception': ['exceptionTitle'],
  'dialog-redo-fingers': ['redoTitle', 'redoHint'],
};

export const PROMPT_IDS: readonly PromptId[] = Object.keys(VOICE_PROMPTS).filter((k): k is PromptId => k in VOICE_PROMPTS);

/** The words of one part of a prompt, in one language. */
function partText(part: PromptPart, lang: Lang): string {
  return (typeof part === 'string' ? LABELS[part][lang] : FINGER_NAMES[part.finger][lang]).trim();
}

/** The words of one prompt: its parts as sentences, in one language. */
export function promptText(id: PromptId, lang: Lang): string {
  return VOICE_PROMPTS[id]
    .map((part) => partText(part, lang))
    .map((s) => (/[.!?…:]$/.test(s) ? s : `${s}.`))
    .join(' ');
}

/** Where the page finds a prompt's audio (under ui/dist/kiosk). */
export function promptFile(id: PromptId, lang: Lang): string {
  return `voice/${id}.${lang}.ogg`;
}

/** The prompt of the screen itself (behind any overlay or dialog); none for the start screen gone quiet. */
export function screenPrompt(screen: Screen): PromptId | undefined {
  switch (screen.name) {
    case 'attract':
      return screen.asleep ? undefined : screen.staffCalled ? 'attract-staff-called' : screen.printerProblem ? 'attract-printer' : 'attract';
    case 'document':
      return `document-${screen.phase}`;
    case 'fingerprints':
      return screen.phase === 'place' ? `fingerprints-place-${screen.finger}` : `fingerprints-${screen.phase}`;
    case 'face':
      return `face-${screen.phase}`;
    case 'case':
      return `case-${screen.phase}`;
    case 'guardian':
      return `guardian-${screen.phase}`;
    case 'signature':
      return screen.signer === 'guardian' ? 'signature-guardian' : 'signature';
    case 'review':
      return screen.printerProblem ? 'review-printer' : 'review';
    default:
      return screen.name;
  }
}

/** The prompt of what sits over the screen: an overlay first, then a dialog. */
export function overPrompt(view: Pick<ViewModel, 'overlay' | 'dialog'>): PromptId | undefined {
  if (view.overlay) return `overlay-${view.overlay.name}`;
  if (view.dialog) return `dialog-${view.dialog.name}`;
  return undefined;
}

/**
 * Screens nobody has chosen a language on yet: their prompt is said in the language shown, then
 * in the other one.
 */
export function saidInBothLanguages(screen: Screen): boolean {
  return screen.name === 'attract' || screen.name === 'language' || screen.name === 'out-of-service';
}
