import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type LabelKey, t } from '../common/i18n';
import type { Intent } from '../../domain/kiosk-channel/messages';
import type { Dialog } from '../../domain/kiosk-channel/view-model';
import type { Bilingual, Lang } from '../../domain/language';

/**
 * What every screen needs besides its own view: the language, a way to send an intent, and the
 * dialog open over it (kept by the controller, so a reload shows it again).
 */
export interface Kiosk {
  readonly lang: Lang;
  readonly dialog?: Dialog;
  /** Accessibility (issue #15): the citizen's text size and mute, kept by the controller. */
  readonly largeText?: boolean;
  readonly voiceMuted?: boolean;
  send(intent: Intent): void;
}

export const KioskContext = createContext<Kiosk>({ lang: 'vi', send: () => undefined });

export function useKiosk(): Kiosk {
  return useContext(KioskContext);
}

/** `tr('start')` for the page's labels, `tr(text)` for a Bilingual from the controller. */
export function useTr(): (what: LabelKey | Bilingual) => string {
  const { lang } = useKiosk();
  return (what) => (typeof what === 'string' ? t(lang, what) : what[lang]);
}
