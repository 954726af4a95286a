import { LABELS } from '../../common/i18n';

/** Shown in both languages: while disconnected the page may not know which one is chosen. */
export function ReconnectBanner() {
  return (
    <div class="banner" role="status" data-testid="reconnecting">
      <span class="banner-dot" aria-hidden="true" />
      <span lang="vi">{LABELS.reconnecting.vi}</span> / <span lang="en">{LABELS.reconnecting.en}</span>
    </div>
  );
}
