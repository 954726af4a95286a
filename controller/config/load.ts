import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { configSchema, type KioskConfig } from './schema';

export type ConfigResult = { ok: true; config: KioskConfig } | { ok: false; errors: string[] };

/** Validate a parsed JSON value; errors name the key's path and what is allowed. */
export function validateConfig(value: unknown): ConfigResult {
  const parsed = configSchema.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map(describeIssue) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return `config key "${path}": ${issue.message}`;
}

/** Read and validate a config file. A missing or unreadable file is an error, not defaults. */
export function loadConfigFile(file: string): ConfigResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, errors: [`cannot read config file ${file}: ${e instanceof Error ? e.message : String(e)}`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`config file ${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  return validateConfig(json);
}
