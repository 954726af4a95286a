import { canonicalJson } from '../packet/canonical-json';
import type { JsonValue } from './audit-chain';

/**
 * What changed between two configs, key by key: the audit chain's `config` entry at each start
 * names every setting that differs from the last start (`flow.idleTimeoutMs: 45000 → 30000`).
 * Arrays are compared whole (a list of pins is one setting); a key present on one side only
 * shows `null` on the other.
 */
export interface ConfigChange {
  readonly path: string;
  readonly from: JsonValue;
  readonly to: JsonValue;
}

export function diffConfig(before: JsonValue, after: JsonValue): ConfigChange[] {
  const out: ConfigChange[] = [];
  walk(before, after, '', out);
  return out;
}

function walk(a: JsonValue | undefined, b: JsonValue | undefined, path: string, out: ConfigChange[]): void {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) walk(a[k], b[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return;
  out.push({ path: path || '(all)', from: a ?? null, to: b ?? null });
}

function isObject(v: JsonValue | undefined): v is { readonly [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
