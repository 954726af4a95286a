import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../controller/config/load';

/** devices.camera: which camera program, where it is, and what it is asked for. */

function errorsOf(camera: unknown): string {
  const r = validateConfig({ devices: { camera } });
  if (r.ok) throw new Error(`expected ${JSON.stringify(camera)} to be refused`);
  return r.errors.join('\n');
}

function cameraOf(camera: unknown) {
  const r = validateConfig({ devices: { camera } });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config.devices.camera;
}

describe('the camera’s settings', () => {
  it('default to the simulated camera', () => {
    const r = validateConfig({});
    expect(r.ok && r.config.devices.camera).toEqual({ driver: 'sim' });
  });

  it('choose rpicam-vid, the current camera stack, with the still resolution and the program on the PATH by default', () => {
    expect(cameraOf({ driver: 'rpicam' })).toMatchObject({ driver: 'rpicam', command: 'rpicam-vid', width: 1280, height: 960, fps: 15, rotation: 0, hflip: false, vflip: false, extraArgs: [] });
  });

  it('take the rpicam-vid program by path, with its size, rate, quality and camera', () => {
    expect(cameraOf({ driver: 'rpicam', command: '/usr/local/bin/rpicam-vid', width: 1640, height: 1232, fps: 10, quality: 90, camera: 1 })).toMatchObject({
      command: '/usr/local/bin/rpicam-vid',
      width: 1640,
      height: 1232,
      fps: 10,
      quality: 90,
      camera: 1,
    });
  });

  it('keep the legacy stack under its old name "pi" and under "pi-camera-connect", running raspivid', () => {
    expect(cameraOf({ driver: 'pi' })).toMatchObject({ driver: 'pi', command: 'raspivid', width: 1280, height: 960, fps: 15 });
    expect(cameraOf({ driver: 'pi-camera-connect', command: '/opt/vc/bin/raspivid' })).toMatchObject({ driver: 'pi-camera-connect', command: '/opt/vc/bin/raspivid' });
  });

  it('refuse a legacy program not named raspivid, saying why and what to use instead', () => {
    const e = errorsOf({ driver: 'pi-camera-connect', command: '/usr/bin/rpicam-vid' });
    expect(e).toMatch(/devices\.camera\.command/);
    expect(e).toMatch(/raspivid/);
    expect(e).toMatch(/"rpicam"/);
  });

  it('refuse a rotation rpicam-vid cannot do, naming the key and the values it can', () => {
    const e = errorsOf({ driver: 'rpicam', rotation: 90 });
    expect(e).toMatch(/devices\.camera\.rotation/);
    expect(e).toMatch(/0 or 180/);
  });

  it('refuse an unknown camera driver, naming the ones there are', () => {
    const e = errorsOf({ driver: 'libcamera' });
    expect(e).toMatch(/devices\.camera\.driver/);
    for (const d of ['sim', 'rpicam', 'pi-camera-connect']) expect(e).toContain(d);
  });

  it('refuse sizes, rates and qualities no Pi camera gives, each naming its key', () => {
    expect(errorsOf({ driver: 'rpicam', width: 0 })).toMatch(/devices\.camera\.width/);
    expect(errorsOf({ driver: 'rpicam', height: 99_999 })).toMatch(/devices\.camera\.height/);
    expect(errorsOf({ driver: 'rpicam', fps: 0 })).toMatch(/devices\.camera\.fps/);
    expect(errorsOf({ driver: 'rpicam', quality: 101 })).toMatch(/devices\.camera\.quality/);
    expect(errorsOf({ driver: 'rpicam', command: '' })).toMatch(/devices\.camera\.command/);
    expect(errorsOf({ driver: 'rpicam', stallMs: 50 })).toMatch(/devices\.camera\.stallMs/);
  });

  it('refuse extra arguments that would take over the stream’s own (output, codec, timeout)', () => {
    const e = errorsOf({ driver: 'rpicam', extraArgs: ['--codec', 'h264'] });
    expect(e).toMatch(/devices\.camera\.extraArgs/);
    expect(e).toMatch(/--codec/);
  });

  it('ship the Raspberry Pi example on rpicam-vid, the install target’s camera stack', () => {
    const example: unknown = JSON.parse(readFileSync(new URL('../../../../config/examples/raspberry-pi.json', import.meta.url), 'utf8'));
    const r = validateConfig(example);
    expect(r.ok && r.config.devices.camera.driver).toBe('rpicam');
  });
});
