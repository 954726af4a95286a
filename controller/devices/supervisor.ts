import { assign, createActor, fromCallback, fromPromise, setup, type ActorRefFrom } from 'xstate';
import type { Device, DeviceStatus } from '../../drivers/types';
import type { DeviceState } from '../../domain/devices';

/**
 * One supervisor actor per peripheral (docs/architecture.md, device actors): open the device,
 * watch it, and when it faults or disappears, reopen it with exponential backoff. The enrollment
 * machine and ops see only the resulting DeviceState; a pulled cable becomes "disconnected →
 * connecting → ready", a device that is there but will not work "fault → connecting → ready",
 * never a hang.
 *
 * Hot-plug (issue #13): while a device is down, a device that can say whether it is there
 * (`Device.present()`: its port node, its USB ids) is asked every `presencePollMs`. While it is
 * not there it is reported `disconnected`; the moment it is back it is reopened, whatever the
 * backoff had grown to.
 */

export interface SupervisorInput {
  readonly device: Device;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** How often a down device is asked whether it is there again (hot-plug). */
  readonly presencePollMs: number;
}

interface SupervisorContext extends SupervisorInput {
  readonly failures: number;
  readonly detail?: string;
  /** The device's last answer to present(), while it is down; undefined when not known. */
  readonly present?: boolean;
}

type SupervisorEvent = { type: 'DEVICE_STATUS'; status: DeviceStatus } | { type: 'PRESENCE'; present: boolean } | { type: 'STOP' };

/** Ask `device.present()` now and every `everyMs`, and report every answer that differs from the last. */
const watchPresence = fromCallback<SupervisorEvent, { device: Device; everyMs: number }>(({ input, sendBack }) => {
  const { device, everyMs } = input;
  const ask = device.present?.bind(device);
  if (!ask) return () => undefined;
  let last: boolean | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = (): void => {
    ask().then(
      (present) => {
        if (stopped) return;
        if (present !== last) {
          last = present;
          sendBack({ type: 'PRESENCE', present });
        }
        timer = setTimeout(poll, everyMs);
      },
      () => {
        if (!stopped) timer = setTimeout(poll, everyMs);
      },
    );
  };
  poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
});

export const backoffMs = (failures: number, min: number, max: number): number => Math.min(max, min * 2 ** Math.max(0, failures - 1));

export const deviceSupervisor = setup({
  types: { context: {} as SupervisorContext, events: {} as SupervisorEvent, input: {} as SupervisorInput },
  actors: {
    open: fromPromise<DeviceStatus, { device: Device }>(({ input, signal }) => input.device.open(signal)),
    watch: fromCallback<SupervisorEvent, { device: Device }>(({ input, sendBack }) => input.device.onStatus((status) => sendBack({ type: 'DEVICE_STATUS', status }))),
    close: fromPromise<void, { device: Device }>(({ input }) => input.device.close()),
    watchPresence,
  },
  delays: {
    backoff: ({ context }) => backoffMs(context.failures, context.minBackoffMs, context.maxBackoffMs),
  },
  guards: {
    openedReady: (_, status: DeviceStatus) => status.state === 'ready' || status.state === 'busy',
    isFault: (_, status: DeviceStatus) => status.state === 'fault' || status.state === 'disconnected',
    /** It was known to be gone, and now it is there: plugged back in. */
    pluggedBack: ({ context }, p: { present: boolean }) => p.present && context.present === false,
  },
}).createMachine({
  id: 'device',
  context: ({ input }) => ({ ...input, failures: 0 }),
  initial: 'connecting',
  on: { STOP: '.stopped' },
  states: {
    connecting: {
      invoke: {
        src: 'open',
        input: ({ context }) => ({ device: context.device }),
        onDone: [
          { guard: { type: 'openedReady', params: ({ event }) => event.output }, target: 'ready', actions: assign({ failures: 0, detail: undefined, present: undefined }) },
          { target: 'fault', actions: assign({ failures: ({ context }) => context.failures + 1, detail: ({ event }) => event.output.detail }) },
        ],
        onError: {
          target: 'fault',
          actions: assign({ failures: ({ context }) => context.failures + 1, detail: ({ event }) => (event.error instanceof Error ? event.error.message : String(event.error)) }),
        },
      },
    },
    ready: {
      invoke: { src: 'watch', input: ({ context }) => ({ device: context.device }) },
      on: {
        DEVICE_STATUS: {
          guard: { type: 'isFault', params: ({ event }) => event.status },
          target: 'fault',
          actions: assign({ failures: ({ context }) => context.failures + 1, detail: ({ event }) => event.status.detail }),
        },
      },
    },
    fault: {
      invoke: [
        // Close what is left of the port before trying again, so the OS releases it.
        { src: 'close', input: ({ context }) => ({ device: context.device }), onError: {} },
        { src: 'watchPresence', input: ({ context }) => ({ device: context.device, everyMs: context.presencePollMs }) },
      ],
      after: { backoff: 'connecting' },
      on: {
        PRESENCE: [
          { guard: { type: 'pluggedBack', params: ({ event }) => ({ present: event.present }) }, target: 'connecting', actions: assign({ present: true }) },
          { actions: assign({ present: ({ event }) => event.present }) },
        ],
      },
    },
    stopped: {
      invoke: { src: 'close', input: ({ context }) => ({ device: context.device }), onError: {} },
      type: 'final',
    },
  },
});

export type SupervisorRef = ActorRefFrom<typeof deviceSupervisor>;

/** The state the rest of the kiosk sees: the supervisor's phase, refined by the driver's own. */
export function supervisedState(ref: SupervisorRef): DeviceState {
  const snap = ref.getSnapshot();
  if (snap.matches('ready')) {
    const driverState = snap.context.device.status().state;
    return driverState === 'busy' ? 'busy' : 'ready';
  }
  // Not there at all (the port node is gone, the cable is out): disconnected, also while a
  // reopen is tried on the off chance; there but not working: fault.
  if (snap.context.present === false) return 'disconnected';
  if (snap.matches('connecting')) return 'connecting';
  if (snap.matches('fault')) return 'fault';
  return 'disconnected';
}

export function startSupervisor(device: Device, opts: { minBackoffMs?: number; maxBackoffMs?: number; presencePollMs?: number } = {}): SupervisorRef {
  const ref = createActor(deviceSupervisor, {
    input: { device, minBackoffMs: opts.minBackoffMs ?? 500, maxBackoffMs: opts.maxBackoffMs ?? 30_000, presencePollMs: opts.presencePollMs ?? 200 },
  });
  ref.start();
  return ref;
}
