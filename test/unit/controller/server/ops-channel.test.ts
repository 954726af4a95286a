import { afterEach, describe, expect, it } from 'vitest';
import { TEST_FLOW } from '../../../helpers/enrollment-harness';
import { RIG_KIOSK, RIG_TOKEN, isMsg, startOpsRig, type OpsClient, type OpsRig } from '../../../helpers/ops-rig';
import { waitFor } from '../../../helpers/wait-for';

/**
 * The kiosk's ops channel (issue #14): refused without the kiosk's console token (from this
 * machine too), a status pushed on connect, on change and on the heartbeat, and every officer
 * command acted on (or refused with its reason) and audited on the kiosk with the officer's name.
 */

const rigs: OpsRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});
async function rig(opts: Parameters<typeof startOpsRig>[0] = {}): Promise<OpsRig> {
  const r = await startOpsRig(opts);
  rigs.push(r);
  return r;
}
const OFFICER = 'Trần Thị Bình';
let n = 0;
const command = (c: OpsClient, cmd: Record<string, unknown>, officer = OFFICER): string => {
  const id = `c-${++n}`;
  c.send({ type: 'command', id, officer, command: cmd });
  return id;
};
const resultOf = async (c: OpsClient, id: string) => c.next((m): m is Extract<typeof m, { type: 'result' }> => m.type === 'result' && m.id === id, `the result of ${id}`);
const opsAudits = (r: OpsRig, kind = 'ops-command') => r.audits.filter((a) => a.kind === kind).map((a) => a.detail);

async function toFingerprints(r: OpsRig): Promise<void> {
  r.runtime.send({ type: 'START' });
  r.runtime.send({ type: 'SET_LANGUAGE', lang: 'vi' });
  r.runtime.send({ type: 'CASE_CHOOSE', case: 'expired' });
  await r.flush();
  r.runtime.send({ type: 'DOC_CONFIRM' });
  await r.flush();
}

describe('the ops channel door', () => {
  it.each([
    ['no Authorization header', null, 401],
    ['a wrong token', 'x'.repeat(40), 401],
    ['the token with one character changed', `${RIG_TOKEN.slice(0, -1)}m`, 401],
    ['an empty bearer', '', 401],
  ] as const)('refuses %s from this machine (loopback is no exception), and audits it', async (_what, token, status) => {
    const r = await rig();
    await expect(r.connect(token)).rejects.toThrow(`refused: ${status}`);
    await waitFor(() => opsAudits(r, 'ops-access').length === 1, { what: 'the refusal in the audit trail' });
    expect(opsAudits(r, 'ops-access')[0]).toMatchObject({ outcome: 'bad-token', from: '127.0.0.1' });
    expect(JSON.stringify(r.audits)).not.toContain(RIG_TOKEN);
    expect(r.channel.count()).toBe(0);
  });

  it('stays closed, saying why, on a kiosk without a console token', async () => {
    const r = await rig({ token: null });
    await expect(r.connect(RIG_TOKEN)).rejects.toThrow('refused: 403');
    expect(opsAudits(r, 'ops-access')[0]).toMatchObject({ outcome: 'no-token-set' });
  });

  it('writes a flood of refusals as one row a minute, with the count', async () => {
    const r = await rig();
    for (let i = 0; i < 5; i++) await expect(r.connect('wrong-token-wrong-token-wrong-token')).rejects.toThrow('401');
    expect(opsAudits(r, 'ops-access')).toHaveLength(1);
  });

  it('with the token: hello, then the status; the statechart hears a console is there, and that it left', async () => {
    const r = await rig();
    const c = await r.connect();
    expect(await c.next(isMsg.hello, 'hello')).toMatchObject({ protocol: 1, kioskId: RIG_KIOSK });
    const s = (await c.next(isMsg.status, 'the first status')).status;
    expect(s).toMatchObject({ kioskId: RIG_KIOSK, screen: 'attract', inSession: false, service: { inService: true }, outbox: { pending: 2, oldestPendingAgeS: 30 }, today: { completed: 0, abandoned: 0 } });
    expect(s.help).toBeUndefined();
    expect(s.exception).toBeUndefined();
    await waitFor(() => r.runtime.view() !== undefined && opsAudits(r, 'ops-access').some((a) => JSON.stringify(a).includes('connected')), { what: 'the connection audited' });
    c.close();
    await waitFor(() => r.channel.count() === 0, { what: 'the console to leave' });
    expect(opsAudits(r, 'ops-access').map((a) => (a !== null && typeof a === 'object' && 'outcome' in a ? a.outcome : null))).toEqual(['connected', 'left']);
  });

  it('answers a bad message with its reason and acts on nothing', async () => {
    const r = await rig();
    const c = await r.connect();
    await c.next(isMsg.status, 'the first status');
    c.send('{"type":"command","id":"c-9","officer":"Bình\\u0000","command":{"kind":"service","on":true}}');
    const e = await c.next(isMsg.error, 'the error');
    expect(e).toMatchObject({ code: 'bad-message' });
    expect(e.message).toMatch(/officer/);
    c.ws.send(Buffer.from('{"type":"status"}'), { binary: true });
    expect((await c.next(isMsg.error, 'the second error', c.messages.indexOf(e) + 1)).code).toBe('binary');
    expect(r.runtime.view().screen.name).toBe('attract');
    expect(opsAudits(r)).toEqual([]);
  });

  it('drops a console that sends more than the limit in one frame', async () => {
    const r = await rig();
    const c = await r.connect();
    await c.next(isMsg.status, 'the first status');
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    c.send(JSON.stringify({ type: 'status', pad: 'x'.repeat(10_000) }));
    expect(await closed).toBe(1009);
  });

  it('sends the status on the heartbeat when nothing changes', async () => {
    const r = await rig({ heartbeatMs: 150 });
    const c = await r.connect();
    await c.next(isMsg.status, 'the first status');
    await waitFor(() => c.messages.filter(isMsg.status).length >= 3, { what: 'two heartbeats' });
  });
});

describe('officer commands on the ops channel', () => {
  it('a help call is queued with when it began, answered by the officer (the help screen closes) and audited with the officer', async () => {
    const r = await rig();
    const c = await r.connect();
    await c.next(isMsg.status, 'the first status');
    await toFingerprints(r);
    r.runtime.send({ type: 'HELP' });
    await r.flush();
    const withHelp = await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.help !== undefined, 'a status with the help call');
    const call = withHelp.status.help;
    expect(call).toMatchObject({ source: 'screen', inSession: true, screen: 'fingerprints' });
    expect(Date.parse(call?.since ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const wrong = command(c, { kind: 'answer-help', helpId: 'help-nope-1' });
    expect(await resultOf(c, wrong)).toMatchObject({ ok: false, code: 'not-found' });
    const id = command(c, { kind: 'answer-help', helpId: call?.id ?? '' });
    expect(await resultOf(c, id)).toMatchObject({ ok: true });
    expect(r.runtime.view().overlay).toBeUndefined();
    expect(r.runtime.view().screen.name).toBe('fingerprints');
    const after = await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.help === undefined && m.status.screen === 'fingerprints', 'a status without the call');
    expect(after.status.help).toBeUndefined();
    expect(opsAudits(r)).toEqual([
      { command: 'answer-help', helpId: 'help-nope-1', officer: OFFICER, ok: false, code: 'not-found' },
      expect.objectContaining({ command: 'answer-help', helpId: call?.id, officer: OFFICER, ok: true }),
    ]);
  });

  it('a help call answered at the kiosk ("Continue"), or whose citizen left, leaves the queue by itself; counts of the day follow', async () => {
    const r = await rig();
    await toFingerprints(r);
    r.runtime.send({ type: 'HELP' });
    await r.flush();
    expect((await r.link.status()).help).toBeDefined();
    r.runtime.send({ type: 'HELP_DONE' });
    await r.flush();
    expect((await r.link.status()).help).toBeUndefined();
    r.runtime.send({ type: 'HELP' });
    await r.flush();
    expect((await r.link.status()).help).toBeDefined();
    r.runtime.send({ type: 'QUIT' });
    await r.flush();
    const s = await r.link.status();
    expect(s.help).toBeUndefined();
    expect(s.today).toMatchObject({ completed: 0, abandoned: 1 });
    expect(opsAudits(r)).toEqual([]);
  });

  it('a help call from the panel before a session stays queued after the start screen moves on, until answered', async () => {
    const r = await rig();
    const c = await r.connect();
    r.runtime.send({ type: 'HELP' }, { source: 'panel' });
    await r.flush();
    await r.advance(TEST_FLOW.staffCalledScreenMs);
    const s = (await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.help !== undefined, 'the call')).status;
    expect(s.help).toMatchObject({ source: 'panel', inSession: false, screen: 'attract' });
    expect((await r.link.status()).help?.id).toBe(s.help?.id);
    const id = command(c, { kind: 'answer-help', helpId: s.help?.id ?? '' });
    expect(await resultOf(c, id)).toMatchObject({ ok: true });
    expect((await r.link.status()).help).toBeUndefined();
  });

  it('an exception waits with its photo size only; the photo comes when asked (audited), then approved with the officer in the record and the audit', async () => {
    const r = await rig();
    const c = await r.connect();
    await c.next(isMsg.status, 'the first status');
    r.script.fingers.push({ kind: 'no-finger' });
    await toFingerprints(r);
    r.runtime.send({ type: 'FINGER_EXCEPTION', reason: 'injured', scope: 'finger' });
    r.runtime.send({ type: 'FINGER_PROOF_PHOTO' });
    await r.flush();
    const st = await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.exception !== undefined, 'the exception request');
    const ex = st.status.exception;
    expect(ex).toMatchObject({ finger: 'right_thumb', reason: 'injured', scope: 'finger', photo: { width: 640, height: 480 } });
    expect(st.status.phase).toBe('officer-check');
    // No photo bytes in any status.
    expect(JSON.stringify(c.messages)).not.toMatch(/jpegBase64|\/9j\//);
    const ask = command(c, { kind: 'show-photo', exceptionId: ex?.id ?? '' });
    const photo = await c.next(isMsg.photo, 'the photo');
    expect(photo).toMatchObject({ id: ask, exceptionId: ex?.id, width: 640, height: 480 });
    expect(Buffer.from(photo.jpegBase64, 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const stale = command(c, { kind: 'decide-exception', exceptionId: 'exception-old-1', approve: true });
    expect(await resultOf(c, stale)).toMatchObject({ ok: false, code: 'not-found' });
    const ok = command(c, { kind: 'decide-exception', exceptionId: ex?.id ?? '', approve: true });
    expect(await resultOf(c, ok)).toMatchObject({ ok: true });
    const screen = r.runtime.view().screen;
    expect(screen).toMatchObject({ name: 'fingerprints', phase: 'accepted' });
    expect(screen.name === 'fingerprints' ? screen.slots[0] : undefined).toMatchObject({ status: 'exception', reason: 'injured' });
    const about = { finger: 'right_thumb', reason: 'injured', scope: 'finger' };
    expect(opsAudits(r)).toEqual([
      { command: 'show-photo', exceptionId: ex?.id, officer: OFFICER, ok: true, ...about },
      { command: 'decide-exception', exceptionId: 'exception-old-1', approve: true, officer: OFFICER, ok: false, code: 'not-found' },
      { command: 'decide-exception', exceptionId: ex?.id, approve: true, officer: OFFICER, ok: true, ...about },
    ]);
    // Once decided, the same answer again finds nothing waiting.
    const again = command(c, { kind: 'decide-exception', exceptionId: ex?.id ?? '', approve: false });
    expect(await resultOf(c, again)).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('an exception refused: the finger asked again, audited as refused', async () => {
    const r = await rig();
    const c = await r.connect();
    r.script.fingers.push({ kind: 'no-finger' });
    await toFingerprints(r);
    r.runtime.send({ type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'hand' });
    r.runtime.send({ type: 'FINGER_PROOF_PHOTO' });
    await r.flush();
    const ex = (await r.link.status()).exception;
    const id = command(c, { kind: 'decide-exception', exceptionId: ex?.id ?? '', approve: false });
    expect(await resultOf(c, id)).toMatchObject({ ok: true });
    expect(r.runtime.view().screen).toMatchObject({ name: 'fingerprints', finger: 'right_thumb' });
    expect(opsAudits(r)).toEqual([{ command: 'decide-exception', exceptionId: ex?.id, approve: false, officer: OFFICER, ok: true, finger: 'right_thumb', reason: 'bandaged', scope: 'hand' }]);
  });

  it('ends a stuck session (the citizen sees the ended screen), refuses with no session, and audits both', async () => {
    const r = await rig();
    const c = await r.connect();
    const none = command(c, { kind: 'end-session' });
    const refused = await resultOf(c, none);
    expect(refused).toMatchObject({ ok: false, code: 'not-allowed-now' });
    expect(refused.ok ? '' : refused.message.en).toMatch(/no session/);
    await toFingerprints(r);
    const id = command(c, { kind: 'end-session' }, 'Lê Văn Cường');
    expect(await resultOf(c, id)).toMatchObject({ ok: true });
    expect(r.runtime.view().screen.name).toBe('abandoned');
    expect(opsAudits(r)).toEqual([
      { command: 'end-session', officer: OFFICER, ok: false, code: 'not-allowed-now', screen: 'attract' },
      { command: 'end-session', officer: 'Lê Văn Cường', ok: true, screen: 'fingerprints' },
    ]);
  });

  it('out of service and back: the status says an officer did it and who; both audited', async () => {
    const r = await rig();
    const c = await r.connect();
    const off = command(c, { kind: 'service', on: true });
    expect(await resultOf(c, off)).toMatchObject({ ok: true });
    await r.flush();
    expect(r.runtime.view().screen).toMatchObject({ name: 'out-of-service', officer: true });
    const s = await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.service.inService === false, 'out of service');
    expect(s.status.service).toEqual({ inService: false, reason: 'officer', officer: OFFICER });
    const on = command(c, { kind: 'service', on: false });
    expect(await resultOf(c, on)).toMatchObject({ ok: true });
    await r.flush();
    expect(r.runtime.view().screen.name).toBe('attract');
    expect(opsAudits(r)).toEqual([
      { command: 'service', on: true, officer: OFFICER, ok: true },
      { command: 'service', on: false, officer: OFFICER, ok: true },
    ]);
  });
});

describe('the ops channel and the finger exceptions', () => {
  it('a console connected makes exceptions wait for it; when it leaves, they are recorded at once again', async () => {
    const r = await rig();
    const c = await r.connect();
    await c.next(isMsg.status, 'the first status');
    expect(r.runtime.exceptionRequest()).toBeUndefined();
    c.close();
    await waitFor(() => r.channel.count() === 0, { what: 'the console to leave' });
    r.script.fingers.push({ kind: 'no-finger' });
    await toFingerprints(r);
    r.runtime.send({ type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'finger' });
    r.runtime.send({ type: 'FINGER_PROOF_PHOTO' });
    await r.flush();
    expect(r.runtime.view().screen).toMatchObject({ name: 'fingerprints', phase: 'accepted' });
  });
});
