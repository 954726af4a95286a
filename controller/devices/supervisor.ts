import { assign, createActor, fromCallback, fromPromise, setup, type ActorRefFrom } from 'xstate';
import type { Device, DeviceStatus } from '../../drivers/types';
import type { DeviceState } from '../../domain/devices';

/**
 * One supervisor actor per peripheral (docs/architecture.md, device actors): open the device,
 * watch it, and when it faults or disappears, reopen it with exponential backoff. The enrollment
 * machine and ops see only the resulting DeviceState; a pulled cable becomes "fault → connecting
 * → ready", never a hang.
 */

export interface SupervisorInput {
  readonly device: Device;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
}

interface SupervisorContext extends SupervisorInput {
  readonly failures: number;
  readonly detail?: string;
}

type SupervisorEvent = { type: 'DEVICE_STATUS'; status: DeviceStatus } | { type: 'STOP' };

export const backoffMs = (failures: number, min: number, max: number): number => Math.min(max, min * 2 ** Math.max(0, failures - 1));

export const deviceSupervisor = setup({
  types: { context: {} as SupervisorContext, events: {} as SupervisorEvent, input: {} as SupervisorInput },
  actors: {
    open: fromPromise<DeviceStatus, { device: Device }>(({ input, signal }) => input.device.open(signal)),
    watch: fromCallback<SupervisorEvent, { device: Device }>(({ input, sendBack }) => input.device.onStatus((status) => sendBack({ type: 'DEVICE_STATUS', status }))),
    close: fromPromise<void, { device: Device }>(({ input }) => input.device.close()),
  },
  delays: {
    backoff: ({ context }) => backoffMs(context.failures, context.minBackoffMs, context.maxBackoffMs),
  },
  guards: {
    openedReady: (_, status: DeviceStatus) => status.state === 'ready' || status.state === 'busy',
    isFault: (_, status: DeviceStatus) => status.state === 'fault' || status.state === 'disconnected',
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
          { guard: { type: 'openedReady', params: ({ event }) => event.output }, target: 'ready', actions: assign({ failures: 0, detail: undefined }) },
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
      // Close what is left of the port before trying again, so the OS releases it.
      invoke: { src: 'close', input: ({ context }) => ({ device: context.device }), onError: {} },
      after: { backoff: 'connecting' },
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
  if (snap.matches('connecting')) return 'connecting';
  if (snap.matches('fault')) return 'fault';
  return 'disconnected';
}

export function startSupervisor(device: Device, opts: { minBackoffMs?: number; maxBackoffMs?: number } = {}): SupervisorRef {
  const ref = createActor(deviceSupervisor, {
    input: { device, minBackoffMs: opts.minBackoffMs ?? 500, maxBackoffMs: opts.maxBackoffMs ?? 30_000 },
  });
  ref.start();
  return ref;
}
