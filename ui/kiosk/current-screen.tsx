import { AbandonedScreen } from './screens/abandoned';
import { AttractScreen } from './screens/attract';
import { CaseScreen } from './screens/case';
import { GuardianScreen } from './screens/guardian';
import { InvitationMismatchScreen } from './screens/invitation-mismatch';
import { IrisScreen } from './screens/iris';
import { DifferentPersonScreen } from './screens/different-person';
import { DocumentScreen } from './screens/document';
import { DocumentConfirmScreen } from './screens/document-confirm';
import { DocumentMismatchScreen } from './screens/document-mismatch';
import { DoneScreen } from './screens/done';
import { FaceScreen } from './screens/face';
import { FingerprintsScreen } from './screens/fingerprints';
import { LanguageScreen } from './screens/language';
import { OutOfServiceScreen } from './screens/out-of-service';
import { ReviewScreen } from './screens/review';
import { SignatureScreen } from './screens/signature';
import { SubmitFailedScreen } from './screens/submit-failed';
import { SubmittingScreen } from './screens/submitting';
import type { Screen } from '../../domain/kiosk-channel/view-model';

/** One component per Screen.name; the compiler checks every name is handled. */
export function CurrentScreen({ screen }: { readonly screen: Screen }) {
  switch (screen.name) {
    case 'attract':
      return <AttractScreen view={screen} />;
    case 'language':
      return <LanguageScreen />;
    case 'case':
      return <CaseScreen view={screen} />;
    case 'document':
      return <DocumentScreen phase={screen.phase} error={screen.error} digits={screen.digits} kase={screen.case} invited={screen.invited} />;
    case 'invitation-mismatch':
      return <InvitationMismatchScreen view={screen} />;
    case 'guardian':
      return <GuardianScreen view={screen} />;
    case 'iris':
      return <IrisScreen />;
    case 'document-confirm':
      return <DocumentConfirmScreen document={screen.document} checks={screen.checks} askFront={screen.askFront} />;
    case 'document-mismatch':
      return <DocumentMismatchScreen document={screen.document} checks={screen.checks} />;
    case 'different-person':
      return <DifferentPersonScreen document={screen.document} />;
    case 'fingerprints':
      return <FingerprintsScreen view={screen} />;
    case 'face':
      return <FaceScreen view={screen} />;
    case 'signature':
      return <SignatureScreen error={screen.error} attempt={screen.attempt} signer={screen.signer} />;
    case 'review':
      return <ReviewScreen view={screen} />;
    case 'submitting':
      return <SubmittingScreen />;
    case 'submit-failed':
      return <SubmitFailedScreen message={screen.message} />;
    case 'done':
      return <DoneScreen view={screen} />;
    case 'abandoned':
      return <AbandonedScreen />;
    case 'out-of-service':
      return <OutOfServiceScreen view={screen} />;
    default:
      return unreachable(screen);
  }
}

function unreachable(screen: never): null {
  console.warn('kiosk: unknown screen', screen);
  return null;
}
