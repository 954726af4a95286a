import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_OPS_CONSOLE_MESSAGE_BYTES,
  decodeBrowserMessage,
  decodeConsoleMessage,
  decodeKioskMessage,
  type OpsConsoleMessage,
} from '../../../../domain/ops-channel/messages';

/**
 * The ops channel's codec (issue #14): bounded before it is parsed, strict, and every message it
 * refuses is refused with a reason that names what is wrong.
 */

const GOOD: readonly OpsConsoleMessage[] = [
  { type: 'status' },
  { type: 'command', id: 'c-1', officer: 'Trần Thị Bình', command: { kind: 'answer-help', helpId: 'help-abc-1' } },
  { type: 'command', id: 'c-2', officer: 'Lê Văn Cường', command: { kind: 'decide-exception', exceptionId: 'exception-x-2', approve: true } },
  { type: 'command', id: 'c-3', officer: 'Officer 7', command: { kind: 'decide-exception', exceptionId: 'exception-x-2', approve: false } },
  { type: 'command', id: 'c-4', officer: 'Nguyễn An', command: { kind: 'show-photo', exceptionId: 'exception-x-2' } },
  { type: 'command', id: 'c-5', officer: 'Nguyễn An', command: { kind: 'end-session' } },
  { type: 'command', id: 'c-6', officer: 'Nguyễn An', command: { kind: 'service', on: true } },
];

const cmd = (over: Record<string, unknown>, command: Record<string, unknown> = { kind: 'end-session' }) => JSON.stringify({ type: 'command', id: 'c-1', officer: 'Bình', command, ...over });

describe('the console → kiosk codec', () => {
  it('takes every command the console sends, as sent', () => {
    for (const m of GOOD) expect(decodeConsoleMessage(JSON.stringify(m))).toEqual({ ok: true, message: m });
  });

  type Bad = { readonly what: string; readonly data: string | Uint8Array; readonly code: string; readonly reason: RegExp; readonly binary?: boolean };
  const bad = (what: string, data: string | Uint8Array, code: string, reason: RegExp, binary = false): Bad => ({ what, data, code, reason, binary });
  const BAD: readonly Bad[] = [
    bad('binary frame', JSON.stringify(GOOD[0]), 'binary', /JSON text/, true),
    bad('not JSON', '{"type":', 'bad-json', /not JSON/),
    bad('not UTF-8', Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d), 'bad-json', /UTF-8/),
    bad('a JSON string', '"status"', 'bad-message', /\(message\)/),
    bad('an unknown type', '{"type":"reboot"}', 'bad-message', /type/),
    bad('an unknown key', '{"type":"status","extra":1}', 'bad-message', /extra|key/i),
    bad('an unknown command', cmd({}, { kind: 'format-disk' }), 'bad-message', /command\.kind/),
    bad('a command with an extra key', cmd({}, { kind: 'end-session', now: true }), 'bad-message', /command/),
    bad('no officer', JSON.stringify({ type: 'command', id: 'c', command: { kind: 'end-session' } }), 'bad-message', /officer/),
    bad('an empty officer', cmd({ officer: '' }), 'bad-message', /officer/),
    bad('a blank officer', cmd({ officer: '   ' }), 'bad-message', /officer/),
    bad('an officer with a newline', cmd({ officer: 'Bình\nadmin' }), 'bad-message', /officer: no control/),
    bad('an officer with a bidi override', cmd({ officer: 'Bình\u202e' }), 'bad-message', /officer/),
    bad('an officer name of 65 characters', cmd({ officer: 'a'.repeat(65) }), 'bad-message', /officer/),
    bad('an id with a space', cmd({ id: 'c 1' }), 'bad-message', /^the message is not valid \(id:/),
    bad('an id of 65 characters', cmd({ id: 'x'.repeat(65) }), 'bad-message', /id/),
    bad('approve not a boolean', cmd({}, { kind: 'decide-exception', exceptionId: 'e-1', approve: 'yes' }), 'bad-message', /command\.approve/),
    bad('service without on', cmd({}, { kind: 'service' }), 'bad-message', /command\.on/),
    bad('too large', JSON.stringify({ type: 'status', pad: 'x'.repeat(MAX_OPS_CONSOLE_MESSAGE_BYTES) }), 'too-large', /at most 4096/),
  ];
  it.each(BAD)('refuses $what, saying why', ({ data, code, reason, binary }) => {
    const d = decodeConsoleMessage(data, binary === true);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.code).toBe(code);
    expect(d.reason).toMatch(reason);
  });

  it('counts the limit in bytes, not characters (Vietnamese takes two or three bytes a letter)', () => {
    const name = 'ệ'.repeat(60); // 60 characters, 180 bytes: within the name's limit of 64 characters
    const m = cmd({ officer: name });
    expect(decodeConsoleMessage(m).ok).toBe(true);
    const big = JSON.stringify({ type: 'status', x: 'ệ'.repeat(1400) });
    expect(big.length).toBeLessThan(MAX_OPS_CONSOLE_MESSAGE_BYTES);
    expect(decodeConsoleMessage(big)).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('never throws, and refuses with a reason whatever arrives', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.uint8Array({ maxLength: 5000 }), fc.jsonValue().map((v) => JSON.stringify(v))), fc.boolean(), (data, binary) => {
        const d = decodeConsoleMessage(data, binary);
        if (!d.ok) expect(d.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the kiosk → console codec', () => {
  it('refuses a photo that is not base64, and a status with a device it does not know', () => {
    expect(decodeKioskMessage(JSON.stringify({ type: 'photo', id: 'c-1', exceptionId: 'e-1', jpegBase64: '<img src=x>', width: 10, height: 10 }))).toMatchObject({ ok: false, code: 'bad-message' });
    const status = {
      kioskId: 'K-1', version: '1', at: 'now', screen: 'attract', stepSince: 'now', inSession: false, devices: { toaster: 'ready' },
      today: { date: '2026-11-30', completed: 0, abandoned: 0 }, outbox: { pending: 0, oldestPendingAgeS: null }, service: { inService: true }, heartbeatS: 10,
    };
    const d = decodeKioskMessage(JSON.stringify({ type: 'status', status }));
    expect(d).toMatchObject({ ok: false, code: 'bad-message' });
    expect(d.ok ? '' : d.reason).toMatch(/devices/);
    expect(decodeKioskMessage(JSON.stringify({ type: 'status', status: { ...status, devices: { printer: 'ready' } } })).ok).toBe(true);
  });
});

describe('the console page → ops process codec', () => {
  it('takes a command for a kiosk, and refuses one with the officer in it (the login names the officer, not the page)', () => {
    expect(decodeBrowserMessage(JSON.stringify({ type: 'command', id: 'b-1', kioskId: 'K-1', command: { kind: 'end-session' } })).ok).toBe(true);
    const d = decodeBrowserMessage(JSON.stringify({ type: 'command', id: 'b-1', kioskId: 'K-1', officer: 'Someone Else', command: { kind: 'end-session' } }));
    expect(d).toMatchObject({ ok: false, code: 'bad-message' });
    expect(decodeBrowserMessage('x'.repeat(3000))).toMatchObject({ ok: false, code: 'too-large' });
  });
});
