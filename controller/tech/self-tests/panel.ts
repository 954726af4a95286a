import type { PanelInput, PanelLed } from '../../../drivers/types';
import { adviceFor, notWorking } from '../advice';
import type { Outcome, SelfTestHooks, SelfTestKit } from '../self-test';

/** Each LED: on, off, on, off, this long each, for a technician to see from the screen. */
const BLINK_MS = 250;
const BLINKS = 2;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });

/**
 * Blink each LED, then read the help button, the presence sensor (PIR) and the tamper switch,
 * watching for `inputMs` for each to change (the technician presses the button, waves at the
 * sensor, opens and closes the door). LEDs end dark: the kiosk lights them again as it needs.
 * `ok` is the board taking every LED command; an input nobody touched is reported, not failed
 * (a technician on a laptop cannot press it), and the next step says how to check it.
 */
export async function panelSelfTest(kit: SelfTestKit, hooks: SelfTestHooks): Promise<Outcome> {
  const panel = kit.panel;
  if (!panel.ready()) {
    return { ok: false, summary: notWorking('panel', 'disconnected'), next: adviceFor('panel', 'disconnected') };
  }
  hooks.prompt?.({
    vi: 'Xem các đèn nhấp nháy lần lượt. Sau đó: bấm nút trợ giúp, vẫy tay trước cảm biến, mở rồi đóng cửa tủ máy.',
    en: 'Watch each light blink in turn. Then: press the help button, wave in front of the sensor, open and close the cabinet door.',
  });
  const leds: Array<{ led: PanelLed; ok: boolean }> = [];
  let ledProblem: string | undefined;
  for (const led of panel.leds) {
    let ok = true;
    for (let i = 0; i < BLINKS && ok; i++) {
      for (const on of [true, false]) {
        try {
          await panel.setLed(led, on);
        } catch (err) {
          ok = false;
          ledProblem ??= err instanceof Error ? err.message : String(err);
          break;
        }
        await sleep(BLINK_MS, hooks.signal);
      }
    }
    leds.push({ led, ok });
  }

  // Each input must move and come back (pressed and let go, door opened and shut): then its
  // reading at the end is its resting one, and a switch stuck on shows as stuck.
  const changed = new Set<PanelInput>();
  const atRest = { ...panel.levels() };
  await new Promise<void>((resolve) => {
    const off = panel.onInput((input, active) => {
      changed.add(input);
      if (changed.size === panel.inputs.length && panel.inputs.every((i) => panel.levels()[i] === atRest[i]) && active === atRest[input]) finish();
    });
    const timer = setTimeout(() => finish(), kit.waits.inputMs);
    const abort = () => finish();
    hooks.signal?.addEventListener('abort', abort);
    function finish(): void {
      off();
      clearTimeout(timer);
      hooks.signal?.removeEventListener('abort', abort);
      resolve();
    }
    // On the simulator, play the technician: each input pressed and let go.
    const tap = kit.sim?.panel;
    if (tap) void (async () => {
      for (const press of panel.inputs) await tap({ press }).catch(() => undefined);
    })();
  });

  const levels = panel.levels();
  const inputs = panel.inputs.map((input) => ({ input, active: levels[input], changed: changed.has(input) }));
  const ledsOk = leds.every((l) => l.ok);
  const untouched = inputs.filter((i) => !i.changed).length;
  if (!ledsOk) {
    return { ok: false, summary: { vi: 'Bảng điều khiển không nhận lệnh bật đèn.', en: 'The front panel did not take the light commands.' }, next: adviceFor('panel', 'timeout'), ...(ledProblem ? { detail: ledProblem } : {}), panel: { leds, inputs } };
  }
  return {
    ok: true,
    summary:
      untouched === 0
        ? { vi: 'Các đèn đã nhấp nháy; nút trợ giúp, cảm biến và công tắc cửa đều hoạt động.', en: 'The lights blinked; the help button, the sensor and the door switch all work.' }
        : { vi: `Các đèn đã nhấp nháy. ${untouched} đầu vào không thay đổi trong lúc kiểm tra.`, en: `The lights blinked. ${untouched} inputs did not change during the test.` },
    ...(untouched === 0
      ? {}
      : {
          next: {
            vi: `Nếu có đèn không sáng: kiểm tra dây nối đèn đó. Để thử các đầu vào: bấm "Kiểm tra" rồi trong ${Math.round(kit.waits.inputMs / 1000)} giây bấm nút trợ giúp, vẫy tay trước cảm biến, mở và đóng cửa tủ.`,
            en: `If a light did not come on, check its wire. To test the inputs: press "Test", then within ${Math.round(kit.waits.inputMs / 1000)} seconds press the help button, wave at the sensor, and open and close the cabinet door.`,
          },
        }),
    panel: { leds, inputs },
  };
}
