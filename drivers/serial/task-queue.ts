/**
 * Role: the serial kit's task queue. A half-duplex line carries one command and its reply at a
 * time: a status query and a print job, a capture and an LED command, must not interleave, or a
 * reply is matched to the wrong question. Tasks run one after another in the order queued; an
 * abort cancels a task that has not started yet (a task that has started gets the signal too and
 * decides itself how to stop cleanly).
 */
export type Queued<T> = { readonly kind: 'ran'; readonly value: T } | { readonly kind: 'aborted' };

export class TaskQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** Tasks queued or running. */
  get pending(): number {
    return this.waiting;
  }

  /**
   * Run `task` after every task queued before it. Aborting `signal` while the task waits its
   * turn settles it at once as `aborted` and it never runs. A task that throws rejects its own
   * promise only; the queue carries on with the next.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<Queued<T>> {
    if (signal?.aborted) return Promise.resolve({ kind: 'aborted' });
    this.waiting++;
    return new Promise<Queued<T>>((resolve, reject) => {
      let cancelled = false;
      const onAbort = (): void => {
        cancelled = true;
        resolve({ kind: 'aborted' });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const start = async (): Promise<void> => {
        signal?.removeEventListener('abort', onAbort);
        try {
          if (!cancelled) resolve({ kind: 'ran', value: await task() });
        } catch (e) {
          reject(e);
        } finally {
          this.waiting--;
        }
      };
      this.tail = this.tail.then(start);
    });
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }
}
