import { LABELS } from '../../common/i18n';

/**
 * The controller is gone (restarting after a crash or an update): nothing on the page may be
 * tapped, since no tap would reach anyone. Both languages, since the chosen one may be stale.
 */
export function RestartingCover() {
  return (
    <div class="cover" role="alertdialog" aria-modal="true" data-testid="restarting">
      <div class="busy center">
        <div class="spinner" aria-hidden="true" />
        <p class="lead big" lang="vi">
          {LABELS.restarting.vi}
        </p>
        <p class="lead big" lang="en">
          {LABELS.restarting.en}
        </p>
        <p class="hint" lang="vi">
          {LABELS.restartingHint.vi}
        </p>
        <p class="hint" lang="en">
          {LABELS.restartingHint.en}
        </p>
      </div>
    </div>
  );
}
