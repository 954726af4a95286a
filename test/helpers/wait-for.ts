/**
 * Polls until a condition holds, instead of sleeping a fixed time and hoping: fast when the
 * system is fast, and a clear failure naming what never happened when it is not.
 */
export interface WaitOptions {
  /** What we are waiting for, for the failure message ("the scanner to report unplugged"). */
  readonly what: string;
  readonly timeoutMs?: number;
  readonly everyMs?: number;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs ?? 5_000} ms waiting for ${opts.what}`);
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 10));
  }
}

/** Polls until `read()` returns a value that is not undefined, and returns it. */
export async function waitForValue<T>(read: () => T | undefined | Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  let value: T | undefined;
  await waitFor(async () => (value = await read()) !== undefined, opts);
  if (value === undefined) throw new Error(`no value for ${opts.what}`);
  return value;
}
