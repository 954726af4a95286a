/**
 * Role: the logger every driver is given. Drivers never print and hold no global logger: the
 * controller passes its pino child logger (pino's Logger satisfies this interface as it is), a
 * CLI passes what suits it, tests pass a recording one. Drivers log discarded frames (debug),
 * status changes and reconnects (info), faults (warn).
 */
export type LogFields = Readonly<Record<string, unknown>>;

export interface DeviceLog {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** For callers that want no driver logs (a one-shot CLI check prints its own report). */
export const silentLog: DeviceLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Bytes shown in logs: enough to recognise line noise, never a whole image or scan. */
export function hexPreview(bytes: Uint8Array | readonly number[], max = 16): string {
  const shown = Array.from(bytes.slice(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} …(+${bytes.length - max})` : shown;
}
