import { STEP_LABELS } from '../../common/i18n';
import { AccessButtons } from './access-buttons';
import { useKiosk, useTr } from '../context';
import type { StepName } from '../../../domain/kiosk-channel/view-model';

const STEP_ORDER: readonly StepName[] = ['document', 'fingerprints', 'face', 'signature', 'review'];

interface Props {
  readonly step?: StepName;
  readonly showHelp: boolean;
  /** The spoken prompt again (issue #15). */
  readonly replay: () => void;
}

/** Step bar, language toggle and help: the same place on every screen. */
export function Header({ step, showHelp, replay }: Props) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  const current = step ? STEP_ORDER.indexOf(step) : -1;
  return (
    <header class="header">
      {step ? (
        <ol class="steps" data-testid="step-bar">
          {STEP_ORDER.map((name, i) => (
            <li
              key={name}
              class={`step ${i < current ? 'step-done' : i === current ? 'step-current' : 'step-next'}`}
              data-testid={`step-${name}`}
              aria-current={i === current ? 'step' : undefined}
            >
              <span class="step-num">{i < current ? '✓' : i + 1}</span>
              <span class="step-label">{STEP_LABELS[name][lang]}</span>
            </li>
          ))}
        </ol>
      ) : (
        <div class="brand">{tr('attractTitle')}</div>
      )}
      <div class="header-actions">
        <AccessButtons replay={replay} />
        <button
          type="button"
          class="btn btn-secondary btn-header"
          data-testid="lang-toggle"
          lang={lang === 'vi' ? 'en' : 'vi'}
          onClick={() => send({ type: 'SET_LANGUAGE', lang: lang === 'vi' ? 'en' : 'vi' })}
        >
          {tr('otherLanguage')}
        </button>
        {showHelp ? (
          <button type="button" class="btn btn-help btn-header" data-testid="help" onClick={() => send({ type: 'HELP' })}>
            <span aria-hidden="true">?</span> {tr('help')}
          </button>
        ) : null}
      </div>
    </header>
  );
}
