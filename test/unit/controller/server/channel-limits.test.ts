import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CLIENT_MESSAGE_BYTES, SIGNATURE_LIMITS, clientMessageSchema, type ClientMessage } from '../../../../domain/kiosk-channel/messages';
import { connectAsScreen, type ChannelClient } from '../../../helpers/screen-client';
import { startTestServer, type TestServer } from '../../../helpers/test-server';

/**
 * Issue #11: the channel's size limit and the schema agree. Every message the schema accepts,
 * written as the page writes it (JSON.stringify), fits through the channel; anything bigger, and
 * a text frame that is not UTF-8, gets the protocol's error reply before the socket closes.
 */

let t: TestServer | undefined;
let client: ChannelClient | undefined;
afterEach(async () => {
  client?.ws.terminate();
  await t?.close();
  t = undefined;
});

async function screen(): Promise<{ c: ChannelClient; t: TestServer }> {
  t = await startTestServer();
  const c = await connectAsScreen(t.screenUrl);
  client = c;
  await c.next((m) => m.type === 'view', 'the first view');
  return { c, t };
}

/**
 * A double whose JSON is as long as a double's JSON gets (25 characters): from 1e-6 to 1e-5, 17
 * significant digits are written out in full ("-0.0000012345678901234567"), longer than any
 * exponent form ("-1.2345678901234567e-300", 24).
 */
const LONGEST_NEGATIVE = -0.0000012345678901234567;
const LONGEST_POSITIVE = 0.0000012345678901234567; // 24: the fields that must be ≥ 0

/** The biggest message the schema accepts: a signature with every point there may be, every number as long as a number gets. */
function largestMessage(): ClientMessage {
  const perStroke = Math.floor(SIGNATURE_LIMITS.points / SIGNATURE_LIMITS.strokes);
  const strokes = Array.from({ length: SIGNATURE_LIMITS.strokes }, () =>
    Array.from({ length: perStroke }, () => ({ x: LONGEST_NEGATIVE, y: LONGEST_NEGATIVE, t: LONGEST_POSITIVE, pressure: LONGEST_POSITIVE })),
  );
  // Control characters are written as \u00XX: six bytes for one character.
  return { type: 'intent', id: '\u0001'.repeat(64), intent: { type: 'SIGNATURE_SUBMIT', strokes, box: { width: LONGEST_POSITIVE, height: LONGEST_POSITIVE } } };
}

describe('the channel’s limits', () => {
  it('carries the largest message the schema accepts to the statechart', async () => {
    const msg = largestMessage();
    expect(clientMessageSchema.safeParse(msg).success).toBe(true);
    const text = JSON.stringify(msg);
    const bytes = Buffer.byteLength(text);
    expect(bytes).toBeLessThanOrEqual(MAX_CLIENT_MESSAGE_BYTES);
    // …and it is the largest, or within a few bytes of it: the limit is not loose.
    expect(MAX_CLIENT_MESSAGE_BYTES - bytes).toBeLessThan(1024);

    const { c } = await screen();
    c.send(text);
    // The attract screen cannot take a signature: the statechart's refusal proves the message got through.
    const reply = await c.next((m) => m.type === 'error', 'the reply to the signature', 20_000);
    expect(reply).toMatchObject({ code: 'not-allowed-now', id: msg.type === 'intent' ? msg.id : '' });
    expect(c.closed()).toBeUndefined();
  });

  it('refuses a signature with more points in all than a message can carry, naming the limit', () => {
    const many = Array.from({ length: SIGNATURE_LIMITS.strokes }, () =>
      Array.from({ length: Math.ceil((SIGNATURE_LIMITS.points + 1) / SIGNATURE_LIMITS.strokes) }, (_, i) => ({ x: i, y: i, t: i })),
    );
    const r = clientMessageSchema.safeParse({ type: 'intent', intent: { type: 'SIGNATURE_SUBMIT', strokes: many, box: { width: 600, height: 200 } } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain(String(SIGNATURE_LIMITS.points));
  });

  it('answers a message one byte over the limit with too-large before closing', async () => {
    const { c } = await screen();
    const hello = JSON.stringify({ type: 'hello' });
    c.send(hello + ' '.repeat(MAX_CLIENT_MESSAGE_BYTES + 1 - hello.length));
    const closed = await c.waitClosed('the oversize message to close the socket', 20_000);
    expect(c.messages.filter((m) => m.type === 'error')).toEqual([{ type: 'error', code: 'too-large', message: expect.stringContaining(String(MAX_CLIENT_MESSAGE_BYTES)) }]);
    expect(closed.code).toBe(1009);
  });

  it('answers a text frame that is not UTF-8 with bad-message before closing', async () => {
    const { c } = await screen();
    c.ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    const closed = await c.waitClosed('the bad frame to close the socket');
    expect(c.messages.filter((m) => m.type === 'error')).toEqual([{ type: 'error', code: 'bad-message', message: expect.stringMatching(/UTF-8/) }]);
    expect(closed.code).toBe(1007);
  });

  it('counts no more bytes than JSON takes for a number (25) or a string (6 per character, and quotes)', () => {
    const double = fc.double({ noNaN: true, noDefaultInfinity: true });
    // The longest: a negative number from 1e-6 to 1e-5 with 17 significant digits is written in
    // full, not in exponent form (the fuzz found it now and then; it is always tried first now).
    fc.assert(fc.property(double, (x) => JSON.stringify(x).length <= 25), { examples: [[-0.0000012345678901234567], [-1.2345678901234567e-308]] });
    expect(JSON.stringify(-0.0000012345678901234567)).toHaveLength(25);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (s) => Buffer.byteLength(JSON.stringify(s)) <= 2 + 6 * s.length),
    );
  });
});
