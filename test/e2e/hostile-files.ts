/**
 * A hostile pull request's Campaign files for the isolation and load tests: valid, inside every cap
 * and work budget, and as slow as those allow — the worst fix search of test/hostile/ (25 deliveries
 * each missing its deadline on its own slow rule, near-cap mask checks making every re-simulation
 * slow): about 4 s of CPU for the review, so the run ends at the engine's deadline when the test sets
 * a shorter one.
 */
import { fixSearchRepo } from "../hostile/helpers.js";

export function hostileFiles(base: Record<string, string | Buffer>): Record<string, string | Buffer> {
  const campaign = Object.entries(fixSearchRepo(25)).filter(([path]) => path.startsWith("campaign/"));
  return { ...base, ...Object.fromEntries(campaign) };
}
