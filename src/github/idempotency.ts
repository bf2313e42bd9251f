/**
 * Remembers webhook delivery ids this process has handled, so a redelivery (same X-GitHub-Delivery)
 * does nothing. Bounded: the oldest ids are forgotten first. A second process or a restart does not
 * share this memory; the check-run lookup (check-run.ts `findEarlierRuns`) covers those cases, and
 * Redis does for replicas (coordination/redis.ts). Used by coordination/memory.ts.
 */
export class DeliveryLog {
  readonly #ids = new Map<string, true>();
  readonly #capacity: number;

  constructor(capacity = 1_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer");
    this.#capacity = capacity;
  }

  /** True the first time an id is offered; false when it was already seen (and still remembered). */
  claim(id: string): boolean {
    if (this.#ids.has(id)) {
      this.#ids.delete(id);
      this.#ids.set(id, true);
      return false;
    }
    this.#ids.set(id, true);
    while (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.keys().next().value as string;
      this.#ids.delete(oldest);
    }
    return true;
  }

  /** Forgets an id, so a redelivery is handled again (used when handling failed before any effect). */
  release(id: string): void {
    this.#ids.delete(id);
  }

  get size(): number {
    return this.#ids.size;
  }
}
