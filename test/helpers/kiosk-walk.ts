/**
 * Test helper: plays the citizen on a whole running kiosk (startKiosk with simulated devices),
 * through the kiosk's own runtime (the intents the page would send) and /api/sim (what the
 * citizen does at the devices), as far as a given screen. For tests and the bench that need a
 * session at the photo step without a browser.
 */
import type { RunningKiosk } from '../../controller/kiosk';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';
import type { Lang } from '../../domain/language';
import { z } from 'zod';
import { signatureStrokes } from '../../controller/cli/sim-signature';
import { screenFetch } from './screen-client';
import { waitForValue } from './wait-for';

export async function simPost(kiosk: RunningKiosk, device: string, body: unknown): Promise<void> {
  const res = await screenFetch(kiosk.screenUrl, `/api/sim/${device}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST /api/sim/${device} ${JSON.stringify(body)}: ${res.status} ${await res.text()}`);
}

const alertsSchema = z.object({ alerts: z.array(z.object({ device: z.string(), status: z.string() })) });

/** The staff alerts /healthz reports (a device that stopped, a tamper, a help call…). */
export async function healthzAlerts(kiosk: RunningKiosk): Promise<ReadonlyArray<{ readonly device: string; readonly status: string }>> {
  return alertsSchema.parse(await (await fetch(new URL('/healthz', kiosk.url))).json()).alerts;
}

/** The camera's state as /healthz reports it to a technician. */
export async function healthzCamera(kiosk: RunningKiosk): Promise<{ state: string; detail?: string }> {
  const body: unknown = await (await fetch(new URL('/healthz', kiosk.url))).json();
  const devices = typeof body === 'object' && body !== null && 'devices' in body ? body.devices : undefined;
  const camera = typeof devices === 'object' && devices !== null && 'camera' in devices ? devices.camera : undefined;
  const state = typeof camera === 'object' && camera !== null && 'state' in camera && typeof camera.state === 'string' ? camera.state : 'unknown';
  const detail = typeof camera === 'object' && camera !== null && 'detail' in camera && typeof camera.detail === 'string' ? camera.detail : undefined;
  return detail === undefined ? { state } : { state, detail };
}

/** Resolves with the first view (the current one included) that satisfies `pred`. */
export async function viewWhere(kiosk: RunningKiosk, pred: (v: ViewModel) => boolean, what: string, timeoutMs = 60_000): Promise<ViewModel> {
  try {
    return await waitForValue(() => {
      const v = kiosk.runtime.view();
      return pred(v) ? v : undefined;
    }, { what, timeoutMs });
  } catch (e) {
    const v = kiosk.runtime.view();
    throw new Error(`${e instanceof Error ? e.message : String(e)}; the kiosk shows ${JSON.stringify({ screen: v.screen, overlay: v.overlay })}`);
  }
}

/** Back to the attract screen from wherever the last walk left the kiosk (help → quit, as a citizen leaves). */
export async function backToAttract(kiosk: RunningKiosk): Promise<void> {
  const v = kiosk.runtime.view();
  if (!['attract', 'out-of-service', 'abandoned'].includes(v.screen.name)) {
    kiosk.runtime.send({ type: 'HELP' });
    kiosk.runtime.send({ type: 'QUIT' });
  }
  await viewWhere(kiosk, (x) => x.screen.name === 'attract', 'the attract screen');
}

/**
 * From the attract screen (or, with `goOn`, from where the session is) to the screen `until`
 * accepts: language, the card at the scanner, its confirmation, ten simulated (good) fingers,
 * the photo the simulated camera takes, a signature. Stops as soon as `until` holds.
 */
export async function walkTo(kiosk: RunningKiosk, o: { lang: Lang; card: string; until: (v: ViewModel) => boolean; goOn?: boolean; timeoutMs?: number }): Promise<ViewModel> {
  if (!o.goOn) await backToAttract(kiosk);
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  let acted = '';
  for (;;) {
    const v = kiosk.runtime.view();
    if (o.until(v)) return v;
    if (Date.now() > deadline) throw new Error(`the walk did not get there; stuck on ${JSON.stringify(v.screen)}`);
    const s = v.screen;
    const key = `${s.name}:${'phase' in s ? String(s.phase) : ''}:${v.seq}`;
    if (key !== acted) {
      acted = key;
      if (s.name === 'attract') kiosk.runtime.send({ type: 'START' });
      else if (s.name === 'language') kiosk.runtime.send({ type: 'SET_LANGUAGE', lang: o.lang });
      else if (s.name === 'case') kiosk.runtime.send({ type: 'CASE_CHOOSE', case: 'expired' });
      else if (s.name === 'document' && s.phase === 'scan') await simPost(kiosk, 'document', { present: o.card });
      else if (s.name === 'document-confirm') kiosk.runtime.send({ type: 'DOC_CONFIRM' });
      else if (s.name === 'fingerprints' && (s.phase === 'no-finger' || s.phase === 'fault')) kiosk.runtime.send({ type: 'FINGER_RETRY' });
      else if (s.name === 'face' && s.phase === 'captured') kiosk.runtime.send({ type: 'FACE_ACCEPT' });
      else if (s.name === 'face' && s.phase === 'fault') kiosk.runtime.send({ type: 'FACE_RETAKE' });
      else if (s.name === 'signature') kiosk.runtime.send({ type: 'SIGNATURE_SUBMIT', strokes: signatureStrokes(v.seq), box: { width: 600, height: 200 } });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
