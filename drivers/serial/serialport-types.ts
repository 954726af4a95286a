/** Role (serial kit): serialport's binding types, for the transport and the simulated wire. */
import { SerialPortMock } from 'serialport';
import type { SerialPortStream } from '@serialport/stream';

/**
 * serialport's binding types, reached through packages whose typings resolve. Importing
 * '@serialport/bindings-interface' or '@serialport/binding-mock' by name fails under
 * moduleResolution "Bundler" (their "exports" maps hide index.d.ts), so we derive the same
 * types from SerialPortStream and SerialPortMock instead of declaring them again.
 */
export type Binding = ConstructorParameters<typeof SerialPortStream>[0]['binding'];
export type PortBinding = Awaited<ReturnType<Binding['open']>>;
export type OpenOptions = Parameters<Binding['open']>[0];
export type PortInfo = Awaited<ReturnType<Binding['list']>>[number];
export type UpdateOptions = Parameters<PortBinding['update']>[0];
export type SetOptions = Parameters<PortBinding['set']>[0];
export type PortStatus = Awaited<ReturnType<PortBinding['get']>>;

export const MockBinding = SerialPortMock.binding;
export type MockPortBinding = Awaited<ReturnType<typeof MockBinding.open>>;
