import { describe, expect, it } from 'vitest';
import { DeviceError, faultFromThrown, isDeviceError, isTimeout, isTransientDeviceError, isUnplugged } from '../../../drivers/errors';

describe('DeviceError', () => {
  it('keeps its code and knows its layer', () => {
    const e = new DeviceError('timeout', 'no reply');
    expect([e.code, e.layer, e.message]).toEqual(['timeout', 'line', 'no reply']);
    expect(new DeviceError('unplugged', 'gone').layer).toBe('wire');
    expect(new DeviceError('device-error', 'refused').layer).toBe('device');
    expect(new DeviceError('aborted', 'stop').layer).toBe('caller');
  });

  it('is recognised by its guards, and nothing else is', () => {
    const e = new DeviceError('unplugged', 'gone');
    expect(isDeviceError(e)).toBe(true);
    expect(isUnplugged(e)).toBe(true);
    expect(isTimeout(e)).toBe(false);
    expect(isTransientDeviceError(e)).toBe(true);
    expect(isTransientDeviceError(new DeviceError('aborted', 'stop'))).toBe(false);
    expect(isDeviceError(new Error('gone'))).toBe(false);
    expect(isDeviceError({ code: 'unplugged', message: 'gone' })).toBe(false);
  });

  it('turns back into the Fault reply it stands for, and anything else thrown into the fallback', () => {
    expect(faultFromThrown(new DeviceError('timeout', 'no reply'), 'protocol')).toEqual({ kind: 'fault', reason: 'timeout', message: 'no reply' });
    expect(faultFromThrown(new Error('EACCES'), 'protocol')).toEqual({ kind: 'fault', reason: 'protocol', message: 'EACCES' });
    expect(DeviceError.fromFault({ kind: 'fault', reason: 'device-error', message: 'x' }).toFault()).toEqual({ kind: 'fault', reason: 'device-error', message: 'x' });
  });
});
