/**
 * The sticky pull request comment, found again through STICKY_MARKER (in comments mx-guard wrote).
 * policy.comment: `update` — one comment, edited in place, left alone when the body is unchanged;
 * `new` — one comment per head commit; `off` — none.
 */
import { STICKY_MARKER } from "../render/sticky-comment.js";
import type { Policy } from "../model/config.js";
import { cutMiddle, MAX_BODY_CHARS } from "../render/truncate.js";
import { hasHeadMarker, headMarker } from "./markers.js";
import { withOrigin, withoutOrigin } from "./origin.js";
import { commentBodies, postOnce } from "./post-once.js";
import type { StickyComment } from "./pr-history.js";
import type { GitHub, PullTarget } from "./types.js";

export type StickyAction =
  | { kind: "create"; body: string }
  | { kind: "update"; id: number; body: string }
  | { kind: "skip"; reason: "off" | "unchanged" | "already-posted-for-head" };

export function planSticky(mode: Policy["comment"], rendered: string, existing: StickyComment[], headSha: string): StickyAction {
  if (mode === "off") return { kind: "skip", reason: "off" };
  if (mode === "new") {
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

/**
 * In `update` mode there is one summary comment: older copies (two runs that raced without Redis,
 * or a bot that posted before a restart) are deleted after the newest was updated. Danger does the
 * same. `new` mode keeps one comment per head commit on purpose.
 */
export async function removeDuplicateStickies(gh: GitHub, mode: Policy["comment"], existing: StickyComment[]): Promise<number[]> {
  if (mode !== "update" || existing.length < 2) return [];
  const older = existing.slice(0, -1).map((c) => c.id);
  for (const id of older) await gh.octokit.rest.issues.deleteComment({ owner: gh.owner, repo: gh.repo, comment_id: id });
  gh.log.info({ deleted: older }, "deleted older copies of the summary comment");
  return older;
}
