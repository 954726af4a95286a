/**
 * What the citizen is told when a device goes away mid-session and comes back (issue #13): the
 * reason (a pulled cable is "disconnected", not "a problem"), in Vietnamese and English, with
 * the buttons the page has, and, once the device works again, that it does.
 */
import { describe, expect, it } from 'vitest';
import { fromPromise } from 'xstate';
import type { DocumentOutcome } from '../../../../controller/enrollment/context';
import type { ReadDocumentInput } from '../../../../controller/enrollment/machine';
import type { Screen } from '../../../../domain/kiosk-channel/view-model';
import { createHarness, type Harness } from '../../../helpers/enrollment-harness';

/** A scanner whose reads answer from `outcomes`, then wait (nobody scans) until the step is left. */
function scannerScript(outcomes: DocumentOutcome[]) {
  return createHarness({
    provide: (m) =>
      m.provide({
        actors: {
          readDocument: fromPromise<DocumentOutcome, ReadDocumentInput>(({ signal }) => {
            const next = outcomes.shift();
            if (next) return Promise.resolve(next);
            return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'timeout' })));
          }),
        },
      }),
  });
}

const screenOf = (h: Harness): Screen => h.view().screen;

async function toDocumentStep(h: Harness, lang: 'vi' | 'en'): Promise<void> {
  h.actor.send({ type: 'START', at: 1 });
  h.actor.send({ type: 'SET_LANGUAGE', lang });
  h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
  await h.flush();
}

describe('a scanner unplugged on the document step', () => {
  it('says the scanner is disconnected, then that it works again once it is back', async () => {
    const h = scannerScript([{ kind: 'fault', reason: 'unplugged', message: 'unplugged: /dev/ttyACM0 disappeared' }]);
    await toDocumentStep(h, 'vi');
    h.actor.send({ type: 'DEVICES', states: { document: 'disconnected' } });
    await h.flush();
    const down = screenOf(h);
    expect(down).toMatchObject({ name: 'document', phase: 'scan' });
    if (down.name !== 'document' || !down.error) throw new Error('no notice on the document screen');
    expect(down.error.vi).toMatch(/ngắt kết nối/);
    expect(down.error.en).toMatch(/disconnected/);
    expect(down.error.en).toMatch(/"Help"/);

    h.actor.send({ type: 'DEVICES', states: { document: 'ready' } });
    await h.flush();
    const back = screenOf(h);
    if (back.name !== 'document' || !back.error) throw new Error('no notice on the document screen');
    expect(back.error.vi).toMatch(/hoạt động lại/);
    expect(back.error.en).toMatch(/working again/);
  });

  it('a scanner that stops answering is "not answering", not "disconnected"', async () => {
    const h = scannerScript([{ kind: 'fault', reason: 'timeout', message: 'timeout' }]);
    await toDocumentStep(h, 'en');
    const s = screenOf(h);
    if (s.name !== 'document' || !s.error) throw new Error('no notice on the document screen');
    expect(s.error.en).not.toMatch(/disconnected/);
    expect(s.error.en).toMatch(/problem/);
  });

  it('the notice goes once the citizen types the number instead', async () => {
    const h = scannerScript([{ kind: 'fault', reason: 'unplugged', message: 'unplugged' }]);
    await toDocumentStep(h, 'en');
    h.actor.send({ type: 'DOC_TYPE_NUMBER' });
    await h.flush();
    const s = screenOf(h);
    expect(s.name === 'document' && s.error).toBeFalsy();
  });
});

describe('a fingerprint reader unplugged on the fingerprint step', () => {
  async function faulted(reason: 'unplugged' | 'timeout', lang: 'vi' | 'en'): Promise<Harness> {
    const h = createHarness();
    h.script.fingers.push({ kind: 'fault', reason, message: reason });
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    return h;
  }

  it.each(['vi', 'en'] as const)('(%s) says it is disconnected while it is, and that it works again once it is back', async (lang) => {
    const h = await faulted('unplugged', lang);
    h.actor.send({ type: 'DEVICES', states: { fingerprint: 'disconnected' } });
    await h.flush();
    const down = screenOf(h);
    expect(down).toMatchObject({ name: 'fingerprints', phase: 'fault', faultReason: 'unplugged', choices: ['retry'] });
    if (down.name !== 'fingerprints' || !down.message) throw new Error('no message');
    expect(down.message[lang]).toMatch(lang === 'vi' ? /ngắt kết nối/ : /disconnected/);

    h.actor.send({ type: 'DEVICES', states: { fingerprint: 'ready' } });
    await h.flush();
    const back = screenOf(h);
    expect(back).toMatchObject({ name: 'fingerprints', phase: 'fault', choices: ['retry'] });
    if (back.name !== 'fingerprints' || !back.message) throw new Error('no message');
    expect(back.message.vi).toMatch(/hoạt động lại.*"Thử lại"/);
    expect(back.message.en).toMatch(/working again.*"Try again"/);
  });

  it('a reader that stopped answering and is then found gone says disconnected', async () => {
    const h = await faulted('timeout', 'en');
    h.actor.send({ type: 'DEVICES', states: { fingerprint: 'disconnected' } });
    await h.flush();
    expect(screenOf(h)).toMatchObject({ name: 'fingerprints', phase: 'fault', faultReason: 'unplugged' });
  });
});
