/**
 * Runs tasks one at a time per key (one pull request), in arrival order, within this process.
 * Two events for the same pull request (e.g. a push while a re-run is going) then never post
 * concurrently. Different keys run in parallel. Keys are dropped when their queue empties.
 * Used by coordination/memory.ts (and, in front of the Redis lock, by coordination/redis.ts).
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and diagnostics). */
  get activeKeys(): number {
    return this.#tails.size;
  }
}
