/**
 * Test helper: the kiosk's devices on the far end of real wires, each simulator a program of its
 * own, as a Pi has them: the fingerprint module, the document scanner, the receipt printer and
 * the panel board each served by its `sim-cli.ts` on one end of a socat pty pair (the kiosk's
 * real driver opens the other end), and the camera as a camera program writing MJPEG on stdout
 * (the fake `rpicam-vid`, test/helpers/fake-camera.ts, showing the simulator's scene at the real
 * camera's size). The kiosk configured with `devices` carries none of the simulators: this is
 * how the memory bench measures the kiosk alone (docs/memory.md), and
 * test/integration/devices/wired-simulators.test.ts checks a citizen gets through on it.
 *
 * `act(device, body)` is the citizen at the devices: the bodies POST /api/sim/<device> takes,
 * written to that simulator's stdin (drivers/serial/sim-program.ts), so `simulate()` plays the
 * same citizen here as on the in-process simulators.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { defaultSceneJpeg } from '../../drivers/camera/sim-scene';
import { PACKAGE_ROOT } from '../../domain/package-root';
import { fakeCameraProgram, type FakeCameraProgram } from './fake-camera-program';
import { PtyPair } from './pty-pair';

const TSX = path.join(PACKAGE_ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');

/** The real Pi camera's default stream (controller/config/schema.ts), which the kiosk then decodes. */
export const WIRED_CAMERA = { width: 1280, height: 960, fps: 15 } as const;

export type Wired = 'fingerprint' | 'document' | 'printer' | 'panel';

const PROGRAMS: Readonly<Record<Wired, { readonly file: string; readonly args: readonly string[] }>> = {
  fingerprint: { file: 'drivers/fingerprint/r30x/sim-cli.ts', args: ['--fast', '--model', 'R307', '--baud', '57600', '--packet-size', '128'] },
  document: { file: 'drivers/document/serial/sim-cli.ts', args: ['--suffix', 'cr'] },
  printer: { file: 'drivers/printer/escpos/sim-cli.ts', args: ['--paper', '80'] },
  panel: { file: 'drivers/gpio/firmata/sim-cli.ts', args: [] },
};

export interface PrintedReceipt {
  readonly complete: boolean;
  readonly qr: readonly string[];
}

export interface WiredDevices {
  /** The kiosk config's `devices` section: the real drivers on the wires. */
  readonly devices: Record<string, unknown>;
  /** The citizen at a device (a POST /api/sim/<device> body); `timing` goes to the fingerprint module. Throws on a refusal. */
  act(device: string, body: unknown): Promise<void>;
  /** What the printer simulator reported printing, oldest first. */
  receipts(): readonly PrintedReceipt[];
  /** The simulator processes (and the camera program, once the kiosk started it): for measuring them apart from the kiosk. */
  pids(): number[];
  dispose(): Promise<void>;
}

/** One JSON object from a simulator's stdout, or undefined for anything else. */
function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const msg: unknown = JSON.parse(line);
    return typeof msg === 'object' && msg !== null && !Array.isArray(msg) ? { ...msg } : undefined;
  } catch {
    return undefined;
  }
}

/** One simulator program (its sim-cli.ts) serving one tty: its commands on stdin, its replies and events on stdout. */
export class SimProcess {
  private readonly replies: Array<{ resolve: (line: Record<string, unknown>) => void; reject: (e: Error) => void }> = [];
  private stderr = '';
  private exited = false;

  private constructor(
    readonly name: Wired,
    readonly child: ChildProcess,
    onEvent: (event: Record<string, unknown>) => void,
    ready: () => void,
  ) {
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-2_000)));
    let first = true;
    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (first) {
          first = false;
          return ready();
        }
        const record = parseLine(line);
        if (record === undefined) this.stderr = `${this.stderr}\n(stdout) ${line}`.slice(-2_000);
        else if ('event' in record) onEvent(record);
        else this.replies.shift()?.resolve(record);
      });
    }
    child.once('exit', (code, signal) => {
      this.exited = true;
      for (const r of this.replies.splice(0)) r.reject(new Error(`the ${name} simulator exited (${code ?? signal}) before answering: ${this.stderr}`));
    });
  }

  static async start(name: Wired, port: string, onEvent: (event: Record<string, unknown>) => void): Promise<SimProcess> {
    const p = PROGRAMS[name];
    const child = spawn(process.execPath, ['--import', TSX, path.join(PACKAGE_ROOT, p.file), '--port', port, ...p.args], {
      cwd: PACKAGE_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let sim: SimProcess | undefined;
    await new Promise<void>((resolve, reject) => {
      sim = new SimProcess(name, child, onEvent, resolve);
      child.once('exit', (code) => reject(new Error(`the ${name} simulator exited with ${code ?? 'a signal'} before serving: ${sim?.stderr ?? ''}`)));
      setTimeout(() => reject(new Error(`the ${name} simulator did not start serving within 30 s: ${sim?.stderr ?? ''}`)), 30_000).unref();
    });
    if (!sim) throw new Error('unreachable');
    return sim;
  }

  /** One line on stdin (a JSON body, or any text), and the program's reply to it. */
  async send(line: string): Promise<Record<string, unknown>> {
    if (this.exited || !this.child.stdin) throw new Error(`the ${this.name} simulator is not running: ${this.stderr}`);
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => this.replies.push({ resolve, reject }));
    this.child.stdin.write(`${line}\n`);
    return reply;
  }

  async command(body: unknown): Promise<void> {
    const r = await this.send(JSON.stringify(body));
    if (typeof r['error'] === 'string') throw new Error(`the ${this.name} simulator refused ${JSON.stringify(body)}: ${r['error']}`);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await gone;
  }
}

export async function startWiredDevices(): Promise<WiredDevices> {
  const pairs: PtyPair[] = [];
  const sims: SimProcess[] = [];
  const printed: PrintedReceipt[] = [];
  let camera: FakeCameraProgram | undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wired-devices-'));
  const dispose = async (): Promise<void> => {
    for (const s of sims) await s.stop();
    for (const p of pairs) await p.dispose();
    camera?.dispose();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const hosts: Partial<Record<Wired, string>> = {};
    for (const name of ['fingerprint', 'document', 'printer', 'panel'] as const) {
      const pair = new PtyPair();
      pairs.push(pair);
      await pair.start();
      hosts[name] = pair.host;
      sims.push(
        await SimProcess.start(name, pair.device, (e) => {
          if (e['event'] === 'receipt') printed.push({ complete: e['complete'] === true, qr: Array.isArray(e['qr']) ? e['qr'].map(String) : [] });
        }),
      );
    }
    // The simulator's scene, as the camera program's picture (scaled to the stream's size).
    const scene = path.join(dir, 'scene.jpg');
    await writeFile(scene, await defaultSceneJpeg());
    camera = fakeCameraProgram('rpicam-vid', { image: scene });
    const cameraProgram = camera;
    const port = (name: Wired, baud: number) => ({ path: hosts[name] ?? '', baud });
    const devices = {
      fingerprint: { driver: 'r30x', port: port('fingerprint', 57_600), raiseBaud: true },
      document: { driver: 'serial', port: port('document', 115_200), suffix: 'cr' },
      camera: { driver: 'rpicam', command: cameraProgram.command, ...WIRED_CAMERA },
      printer: { driver: 'escpos', port: port('printer', 115_200), paperWidth: '80mm' },
      gpio: { driver: 'firmata', port: port('panel', 57_600) },
    };
    return {
      devices,
      // The simulators' timing is the fingerprint module's alone (the others have none).
      act: async (device, body) => {
        const name = device === 'timing' ? 'fingerprint' : device;
        const sim = sims.find((s) => s.name === name);
        if (!sim) throw new Error(`no simulator program for ${JSON.stringify(device)} on a wire (the camera is a camera program: it shows the scene it was started with)`);
        await sim.command(body);
      },
      receipts: () => printed,
      pids: () => [...sims.map((s) => s.child.pid), cameraProgram.pid()].filter((pid): pid is number => pid !== undefined),
      dispose,
    };
  } catch (e) {
    await dispose();
    throw e;
  }
}
