import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../controller/config/schema';
import { buildDevices } from '../../../controller/devices/factory';
import type { Camera, CameraFrame } from '../../../drivers/types';
import { fakeCameraProgram, type FakeCameraProgram } from '../../helpers/fake-camera-program';
import { waitFor } from '../../helpers/wait-for';

/** devices.camera in config picks the camera program the kiosk runs, and where it is. */

const programs: FakeCameraProgram[] = [];
const cameras: Camera[] = [];
afterEach(async () => {
  for (const c of cameras.splice(0)) await c.close();
  for (const p of programs.splice(0)) p.dispose();
});

async function cameraFor(camera: Record<string, unknown>): Promise<Camera> {
  const config = configSchema.parse({ devices: { camera } });
  const { devices } = await buildDevices(config, pino({ level: 'silent' }));
  // The other devices are simulators that were never opened: only the camera needs closing.
  cameras.push(devices.camera);
  return devices.camera;
}

describe('the camera chosen in config', () => {
  for (const [driver, program] of [
    ['rpicam', 'rpicam-vid'],
    ['pi-camera-connect', 'raspivid'],
    ['pi', 'raspivid'],
  ] as const) {
    it(`"${driver}" runs the ${program} at devices.camera.command, at the configured size and rate`, async () => {
      const fake = fakeCameraProgram(program, { noise: true });
      programs.push(fake);
      const cam = await cameraFor({ driver, command: fake.command, width: 352, height: 288, fps: 12 });
      const s = await cam.open();
      expect(s).toMatchObject({ state: 'ready', driver: driver === 'rpicam' ? 'rpicam' : 'pi' });
      const args = fake.argv() ?? [];
      expect(args.join(' ')).toContain('--width 352 --height 288');
      expect(args.join(' ')).toMatch(/--framerate 12/);
      const frames: CameraFrame[] = [];
      cam.preview((f) => frames.push(f));
      await waitFor(() => frames.length >= 2, { what: `frames from the fake ${program}` });
      expect(frames[0]).toMatchObject({ width: 352, height: 288 });
    });
  }

  it('"rpicam" with the program missing opens to a fault that names the package to install', async () => {
    const cam = await cameraFor({ driver: 'rpicam', command: '/opt/nowhere/rpicam-vid' });
    const s = await cam.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/rpicam-apps/);
  });
});
