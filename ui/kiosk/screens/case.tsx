import { useState } from 'preact/hooks';
import '../application.css';
import type { LabelKey } from '../../common/i18n';
import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { CaseIcon } from '../parts/case-icons';
import { ScreenFrame } from '../parts/screen';
import { APPLICATION_CASES, INFO_CHANGES, type ApplicationCase, type InfoChange } from '../../../domain/application';
import type { Screen } from '../../../domain/kiosk-channel/view-model';

type CaseView = Extract<Screen, { name: 'case' }>;

const CASE_LABELS: Readonly<Record<ApplicationCase, readonly [LabelKey, LabelKey]>> = {
  first: ['caseFirst', 'caseFirstHint'],
  damaged: ['caseDamaged', 'caseDamagedHint'],
  expired: ['caseExpired', 'caseExpiredHint'],
  lost: ['caseLost', 'caseLostHint'],
  changed: ['caseChanged', 'caseChangedHint'],
  other: ['caseOther', 'caseOtherHint'],
};

const CHANGE_LABELS: Readonly<Record<InfoChange, LabelKey>> = {
  name: 'changeName',
  'birth-date': 'changeBirthDate',
  address: 'changeAddress',
  origin: 'changeOrigin',
  other: 'changeOther',
};

/** Why the citizen came: six large pictures with a few words each; then, for changed details, what changed. */
export function CaseScreen({ view }: { readonly view: CaseView }) {
  return view.phase === 'changes' ? <Changes initial={view.changes ?? []} /> : <Choose />;
}

function Choose() {
  const { send } = useKiosk();
  const tr = useTr();
  return (
    <ScreenFrame name="case" class="case">
      <div class="case-head">
        <h1 class="screen-title">{tr('caseTitle')}</h1>
        <p class="hint">{tr('caseHint')}</p>
      </div>
      <div class="case-grid">
        {APPLICATION_CASES.map((c) => (
          <button type="button" key={c} class="case-tile" data-testid={`case-${c}`} onClick={() => send({ type: 'CASE_CHOOSE', case: c })}>
            <CaseIcon kase={c} />
            <span class="case-name">{tr(CASE_LABELS[c][0])}</span>
            <span class="case-hint">{tr(CASE_LABELS[c][1])}</span>
          </button>
        ))}
      </div>
    </ScreenFrame>
  );
}

function Changes({ initial }: { readonly initial: readonly InfoChange[] }) {
  const { send } = useKiosk();
  const tr = useTr();
  const [chosen, setChosen] = useState<readonly InfoChange[]>(initial);
  const toggle = (c: InfoChange) => setChosen(chosen.includes(c) ? chosen.filter((x) => x !== c) : [...chosen, c]);
  return (
    <ScreenFrame name="case" class="case case-changes">
      <div class="case-head">
        <h1 class="screen-title">{tr('changesTitle')}</h1>
        <p class="hint">{tr('changesHint')}</p>
      </div>
      <div class="change-grid">
        {INFO_CHANGES.map((c) => (
          <button
            type="button"
            key={c}
            class={`change-choice${chosen.includes(c) ? ' chosen' : ''}`}
            aria-pressed={chosen.includes(c)}
            data-testid={`change-${c}`}
            onClick={() => toggle(c)}
          >
            <span class="check" aria-hidden="true">{chosen.includes(c) ? '✓' : ''}</span>
            {tr(CHANGE_LABELS[c])}
          </button>
        ))}
      </div>
      <div class="actions">
        <Button testid="changes-continue" huge disabled={chosen.length === 0} onClick={() => send({ type: 'CASE_CHANGES', changes: [...chosen] })}>
          {tr('continue')}
        </Button>
        <Button testid="changes-back" kind="secondary" onClick={() => send({ type: 'CASE_BACK' })}>
          {tr('back')}
        </Button>
      </div>
    </ScreenFrame>
  );
}
