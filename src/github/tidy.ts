/**
 * Old inline comments tidied (docs/github-app.md#old-comments): when the finding an mx-guard thread
 * is about is no longer a change at the head (gone, or back to how the base has it), the thread is
 * resolved; when GitHub does not let the App resolve it, the comment is minimized as outdated. Only threads mx-guard opened (its own
 * comment, with a fingerprint marker, pr-history.ts) are touched, never a person's.
 */
import { MINIMIZE_OUTDATED, mutateEach, RESOLVE_THREAD } from "./mutations.js";
import type { OwnThread } from "./pr-history.js";
import type { GitHub } from "./types.js";

export interface TidyOutcome {
  resolved: number;
  minimized: number;
  failed: number;
}

/** The threads to close: open, not hidden yet, about a finding the head no longer has. */
function fixedThreads(threads: readonly OwnThread[], stillFound: ReadonlySet<string>): OwnThread[] {
  return threads.filter((t) => !t.isResolved && !t.isMinimized && !stillFound.has(t.fingerprint));
}

export async function tidyFixedThreads(gh: GitHub, threads: readonly OwnThread[], stillFound: ReadonlySet<string>): Promise<TidyOutcome> {
  const fixed = fixedThreads(threads, stillFound);
  const outcome: TidyOutcome = { resolved: 0, minimized: 0, failed: 0 };
  if (fixed.length === 0) return outcome;
  const resolvable = fixed.filter((t) => t.viewerCanResolve);
  const refused = new Set(
    await mutateEach(
      gh,
      RESOLVE_THREAD,
      resolvable.map((t) => t.id),
    ),
  );
  outcome.resolved = resolvable.length - refused.size;
  const toMinimize = fixed.filter((t) => !t.viewerCanResolve || refused.has(t.id)).map((t) => t.commentId);
  const notMinimized = await mutateEach(gh, MINIMIZE_OUTDATED, toMinimize);
  outcome.minimized = toMinimize.length - notMinimized.length;
  outcome.failed = notMinimized.length;
  gh.log.info({ ...outcome }, "tidied the review threads of findings that are fixed");
  return outcome;
}
