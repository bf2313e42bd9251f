/**
 * Which lane of its installation a run belongs in (queue/, the App's pacing): a run whose pull
 * request changes no watched file posts nothing but a passing check and goes ahead of full reviews.
 * Read off the changed-file list, which GitHub cuts at 3,000 files, so a list that long counts as a
 * review. Only the order depends on it: the verdict is still decided off blob ids (evaluate.ts).
 */
import { listChangedFiles } from "./changed-files.js";
import type { EvaluateDeps } from "./evaluate.js";
import { loadPolicy } from "./policy.js";
import type { ChangedFile } from "./pull-request-files.js";
import type { GitHub, PullTarget } from "./types.js";

/** GitHub lists at most this many files of a pull request. */
const LISTED_FILES_CAP = 3_000;

export interface Triage {
  /** The policy as read (handed to the run, so it is read once). */
  config: unknown;
  /** The changed files, when they were listed (a valid policy). */
  files?: ChangedFile[];
  /** True when the run will likely simulate and review (a watched file changed). */
  review: boolean;
}

export async function triage(deps: EvaluateDeps, gh: GitHub, pull: PullTarget, readConfig: () => Promise<unknown>): Promise<Triage> {
  const config = await readConfig();
  const parsed = await loadPolicy(async () => config, deps.parsePolicy);
  // An invalid policy fails the check at once, without listing anything.
  if (!parsed.ok) return { config, review: false };
  const files = await listChangedFiles(gh, pull);
  const watched = new Set(deps.engine.watchedPaths(parsed.value));
  const review =
    files.length >= LISTED_FILES_CAP ||
    files.some((f) => watched.has(f.filename) || (f.previousFilename !== undefined && watched.has(f.previousFilename)));
  return { config, files, review };
}
