import { KIOSK_TIMES, modelSession, PERSONAS } from '../../controller/cli/citizen-time';
import { rng } from '../../drivers/prng';
import { pct, type Row } from './stats';

/**
 * How long a citizen takes (issue #15): the modelled session (controller/cli/citizen-time.ts,
 * docs/facts/citizen-time.md), 20,000 draws per persona, with the kiosk's own fixed times.
 * The goal: a median under 3 minutes for an ordinary citizen (a staffed set takes ~4.6 minutes
 * per applicant).
 */
export async function benchCitizenTime(): Promise<Row[]> {
  const rows: Row[] = [];
  const N = 20_000;
  for (const persona of PERSONAS) {
    const rand = rng(persona === 'ordinary' ? 15 : 16);
    const xs = Array.from({ length: N }, () => modelSession(persona, rand)).sort((a, b) => a - b);
    const m = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
    rows.push({ name: `modelled session, ${persona} citizen (${N} draws): median / p95`, value: `${m(pct(xs, 50))} / ${m(pct(xs, 95))}` });
  }
  const fingerFixed = 10 * (KIOSK_TIMES.fingerUpload + KIOSK_TIMES.fingerAccepted);
  rows.push({ name: 'of which the ten fingerprints cost the kiosk itself (upload + pause, no retries)', value: `${fingerFixed.toFixed(0)} s` });
  // The lift is made during the upload and the move to the next finger during its tick: only
  // the uploads and the last tick keep the citizen waiting (citizen-time.ts, modelSession).
  const fingerWaited = 10 * KIOSK_TIMES.fingerUpload + KIOSK_TIMES.fingerAccepted;
  rows.push({ name: 'of which the citizen waits on (lifts under the uploads, moves under the ticks)', value: `${fingerWaited.toFixed(0)} s` });
  return rows;
}
