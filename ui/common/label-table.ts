import type { Bilingual, Lang } from '../../domain/language';

/** A page's own labels looked up by key in one language: `tr('vi', 'start')`. */
export type LabelLookup<K extends string> = (lang: Lang, key: K) => string;

/**
 * The lookup for a table of labels (the kiosk's LABELS, the service screen's TECH_LABELS, the
 * console's OPS_LABELS), typed to the table's keys: a key the table lacks does not compile.
 */
export function labelTable<K extends string>(table: Readonly<Record<K, Bilingual>>): LabelLookup<K> {
  return (lang, key) => table[key][lang];
}
