import { describe, expect, it } from 'vitest';
import { TaskQueue } from '../../../../drivers/serial/task-queue';

/** A task that finishes when the test says so. */
function gate(): { readonly wait: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

describe('the serial task queue', () => {
  it('runs tasks one at a time, in the order they were queued', async () => {
    const q = new TaskQueue();
    const log: string[] = [];
    const first = gate();
    const a = q.run(async () => {
      log.push('a starts');
      await first.wait;
      log.push('a ends');
      return 'a';
    });
    const b = q.run(async () => {
      log.push('b starts');
      return 'b';
    });
    await Promise.resolve();
    expect(log).toEqual(['a starts']);
    first.open();
    expect(await a).toEqual({ kind: 'ran', value: 'a' });
    expect(await b).toEqual({ kind: 'ran', value: 'b' });
    expect(log).toEqual(['a starts', 'a ends', 'b starts']);
  });

  it('an abort settles a queued task at once, and it never runs', async () => {
    const q = new TaskQueue();
    const first = gate();
    const a = q.run(() => first.wait);
    const ac = new AbortController();
    let ran = false;
    const b = q.run(async () => {
      ran = true;
    }, ac.signal);
    ac.abort();
    expect(await b).toEqual({ kind: 'aborted' });
    first.open();
    await a;
    await q.idle();
    expect(ran).toBe(false);
  });

  it('a task that throws rejects its own promise only; the next one still runs', async () => {
    const q = new TaskQueue();
    const bad = q.run(() => Promise.reject(new Error('boom')));
    const good = q.run(async () => 42);
    await expect(bad).rejects.toThrow('boom');
    expect(await good).toEqual({ kind: 'ran', value: 42 });
    expect(q.pending).toBe(0);
  });
});
