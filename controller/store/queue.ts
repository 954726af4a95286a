/**
 * Run async tasks one at a time, in the order they were queued. sqlite3 multiplexes every
 * caller onto one connection, so without this two transactions would interleave.
 * A failing task rejects its own promise only; the queue carries on.
 */
export type SerialQueue = <T>(task: () => Promise<T>) => Promise<T>;

export function serialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}
