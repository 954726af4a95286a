import { LABELS } from '../../common/i18n';
import { useKiosk } from '../context';
import { ScreenFrame } from '../parts/screen';

/** Both titles are shown in both languages: the citizen has not chosen yet. */
export function LanguageScreen() {
  const { send } = useKiosk();
  return (
    <ScreenFrame name="language">
      <h1 class="screen-title">
        <span lang="vi">{LABELS.languageTitle.vi}</span>
        <br />
        <span lang="en" class="subtitle">{LABELS.languageTitle.en}</span>
      </h1>
      <div class="lang-choices">
        <button type="button" class="btn btn-primary btn-lang" data-testid="lang-vi" lang="vi" onClick={() => send({ type: 'SET_LANGUAGE', lang: 'vi' })}>
          Tiếng Việt
        </button>
        <button type="button" class="btn btn-primary btn-lang" data-testid="lang-en" lang="en" onClick={() => send({ type: 'SET_LANGUAGE', lang: 'en' })}>
          English
        </button>
      </div>
    </ScreenFrame>
  );
}
