/**
 * Test helper: a DeviceLog that remembers what a driver logged, so a test can wait for or
 * assert on it (a discarded frame, a fault) instead of reading stdout.
 */
import type { DeviceLog, LogFields } from '../../drivers/log';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: LogFields;
  readonly message: string;
}

export interface RecordingLog extends DeviceLog {
  readonly entries: LogEntry[];
}

export function recordingLog(): RecordingLog {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (fields: LogFields, message: string): void => {
      entries.push({ level, fields, message });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
