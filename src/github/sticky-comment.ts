/**
 * The sticky pull request comment, found again through STICKY_MARKER (in comments mx-guard wrote).
 * policy.comment: `update` — one comment, edited in place, left alone when the body is unchanged;
 * `new` — one comment per head commit; `hide-and-new` — the same, the older ones minimized as
 * outdated; `delete-and-new` — the same, the older ones deleted; `off` — none.
 * Every mode but `off` deletes the duplicates it finds (docs/github-app.md#summary-comment).
 */
import { STICKY_MARKER } from "../render/sticky-comment.js";
import type { Policy } from "../model/config.js";
import { cutMiddle, MAX_BODY_CHARS } from "../render/truncate.js";
import { hasHeadMarker, headMarker } from "./markers.js";
import { withOrigin, withoutOrigin } from "./origin.js";
import { MINIMIZE_OUTDATED, mutateEach } from "./mutations.js";
import { commentBodies, postOnce } from "./post-once.js";
import type { StickyComment } from "./pr-history.js";
import type { GitHub, PullTarget } from "./types.js";

export type StickyAction =
  | { kind: "create"; body: string }
  | { kind: "update"; id: number; body: string }
  | { kind: "skip"; reason: "off" | "unchanged" | "already-posted-for-head" };

export function planSticky(
  mode: Policy["comment"],
  rendered: string,
  existing: readonly Pick<StickyComment, "id" | "body">[],
  headSha: string,
): StickyAction {
  if (mode === "off") return { kind: "skip", reason: "off" };
  if (mode !== "update") {
    if (existing.some((c) => hasHeadMarker(c.body, headSha))) return { kind: "skip", reason: "already-posted-for-head" };
    return { kind: "create", body: withMarkers(rendered, headMarker(headSha)) };
  }
  const body = withMarkers(rendered);
  const current = existing.at(-1);
  if (!current) return { kind: "create", body };
  if (normalizeBody(current.body) === normalizeBody(body)) return { kind: "skip", reason: "unchanged" };
  return { kind: "update", id: current.id, body };
}

/** Room left for the Action's run stamp (origin.ts), appended when the comment is sent. */
const ORIGIN_RESERVE = 64;

/** The rendered body within GitHub's limit, always carrying the markers that find it again. */
function withMarkers(rendered: string, extra?: string): string {
  const markers = [rendered.includes(STICKY_MARKER) ? null : STICKY_MARKER, extra ?? null].filter((m): m is string => m !== null);
  const suffix = markers.length > 0 ? `\n\n${markers.join("\n")}` : "";
  if (rendered.length + suffix.length <= MAX_BODY_CHARS - ORIGIN_RESERVE) return rendered + suffix;
  // Too long: cut the text, then append every marker so the comment can still be found.
  const all = `\n\n${[STICKY_MARKER, ...(extra ? [extra] : [])].join("\n")}`;
  return cutMiddle(rendered, MAX_BODY_CHARS - ORIGIN_RESERVE - all.length) + all;
}

/** Line endings collapsed and the Action's run stamp dropped, so a body read back compares equal. */
function normalizeBody(text: string): string {
  return withoutOrigin(text.replace(/\r\n?/g, "\n")).trimEnd();
}

export async function applySticky(gh: GitHub, pull: PullTarget, action: StickyAction): Promise<void> {
  if (action.kind === "create") {
    const body = withOrigin(gh, action.body);
    const send = () => gh.octokit.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: pull.number, body });
    await postOnce(gh, "summary comment", body, send, () => commentBodies(gh, pull.number));
  } else if (action.kind === "update") {
    await gh.octokit.rest.issues.updateComment({
      owner: gh.owner,
      repo: gh.repo,
      comment_id: action.id,
      body: withOrigin(gh, action.body),
    });
  }
}

/** What happens to the summary comments found before this run once its own is posted. */
export interface StickyCleanup {
  delete: StickyComment[];
  minimize: StickyComment[];
}

/**
 * `update`: one comment, so every older copy (two runs that raced without Redis, a bot that posted
 * before a restart) is deleted. `new`, `hide-and-new`, `delete-and-new`: one comment per head commit,
 * so a second one for the same commit is deleted; the older commits' comments are kept, minimized or
 * deleted as the mode says. Danger deletes duplicates the same way; infracost has the three modes.
 */
export function planCleanup(mode: Policy["comment"], existing: readonly StickyComment[], headSha: string): StickyCleanup {
  if (mode === "off") return { delete: [], minimize: [] };
  if (mode === "update") return { delete: existing.slice(0, -1), minimize: [] };
  const forHead = existing.filter((c) => hasHeadMarker(c.body, headSha));
  const older = existing.filter((c) => !hasHeadMarker(c.body, headSha));
  const duplicates = forHead.slice(1);
  if (mode === "delete-and-new") return { delete: [...older, ...duplicates], minimize: [] };
  if (mode === "hide-and-new") return { delete: duplicates, minimize: older.filter((c) => !c.isMinimized) };
  return { delete: duplicates, minimize: [] };
}

/** Deletes and minimizes what planCleanup chose, after this run's comment is in place. */
export async function cleanUpStickies(gh: GitHub, cleanup: StickyCleanup): Promise<{ deleted: number[]; minimized: number[] }> {
  const deleted: number[] = [];
  for (const comment of cleanup.delete) {
    await gh.octokit.rest.issues.deleteComment({ owner: gh.owner, repo: gh.repo, comment_id: comment.id });
    deleted.push(comment.id);
  }
  const withNode = cleanup.minimize.filter((c) => c.nodeId !== "");
  const failed = new Set(
    await mutateEach(
      gh,
      MINIMIZE_OUTDATED,
      withNode.map((c) => c.nodeId),
    ),
  );
  const minimized = withNode.filter((c) => !failed.has(c.nodeId)).map((c) => c.id);
  if (deleted.length > 0 || minimized.length > 0) gh.log.info({ deleted, minimized }, "tidied the earlier summary comments");
  return { deleted, minimized };
}
