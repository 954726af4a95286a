/** The languages the kiosk speaks, Vietnamese first (the default for every new session). */
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** A sentence the citizen may read, in both languages, saying what to do next. */
export interface Bilingual {
  readonly vi: string;
  readonly en: string;
}
