/**
 * One budget for the whole fix search of a review: a number of re-simulations and a wall-clock
 * limit, shared by every finding (docs/limits.md#fix-search). A per-finding cap alone lets 25
 * findings multiply one simulation by hundreds; with one budget the search costs at most
 * `simulations` re-simulations and about `timeMs` (plus the one simulation running when it runs out),
 * whatever the number of findings. The clock is injected so tests can spend the time without waiting.
 */
export interface FixBudgetLimits {
  /** Findings searched for a fix, at most. Default 25. */
  findings: number;
  /** Re-simulations for the whole review (memoised trials are free). Default 300. */
  simulations: number;
  /** Wall-clock time for the whole search, in milliseconds. Default 4,000. */
  timeMs: number;
}

export const DEFAULT_FIX_BUDGET: FixBudgetLimits = { findings: 25, simulations: 300, timeMs: 4_000 };

export class FixBudget {
  private used = 0;
  private readonly started: number;

  constructor(
    readonly limits: FixBudgetLimits = DEFAULT_FIX_BUDGET,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** Re-simulations run so far, over all findings. */
  get simulations(): number {
    return this.used;
  }

  /** True once either limit is reached: no further simulation may start. */
  spent(): boolean {
    return this.used >= this.limits.simulations || this.now() - this.started >= this.limits.timeMs;
  }

  /** Counts one re-simulation (called just before it runs). */
  charge(): void {
    this.used++;
  }

  /** The sentence a finding gets when the budget ran out before (or during) its search. */
  describe(): string {
    return (
      `No fix computed: the fix search budget spent (at most ${fmt(this.limits.findings)} findings, ${fmt(this.limits.simulations)} simulations ` +
      `and ${fmt(this.limits.timeMs / 1000)} s per review, shared by all findings; ${fmt(this.used)} simulations run).`
    );
  }
}

const fmt = (n: number): string => n.toLocaleString("en-US");
