/**
 * The GraphQL mutations mx-guard sends to tidy what it posted earlier: resolveReviewThread and
 * minimizeComment (classifier OUTDATED). Many subjects go in one request (aliased mutations, which
 * GitHub runs one after another), so tidying 40 threads is one request, not 40.
 */
import { describeError } from "./errors.js";
import type { GitHub } from "./types.js";

/** Mutations per request. */
const BATCH = 50;

export const RESOLVE_THREAD = {
  name: "resolveReviewThread",
  input: (id: string) => `threadId: ${id}`,
  selection: "thread { id isResolved }",
} as const;

export const MINIMIZE_OUTDATED = {
  name: "minimizeComment",
  input: (id: string) => `subjectId: ${id}, classifier: OUTDATED`,
  selection: "minimizedComment { isMinimized }",
} as const;

type Mutation = typeof RESOLVE_THREAD | typeof MINIMIZE_OUTDATED;

/** Sends `mutation` for each node id; returns the ids it did not succeed for (logged, not thrown). */
export async function mutateEach(gh: GitHub, mutation: Mutation, ids: readonly string[]): Promise<string[]> {
  const failed: string[] = [];
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH);
    const defs = batch.map((_, i) => `$id${i}: ID!`);
    const fields = batch.map((_, i) => `m${i}: ${mutation.name}(input: { ${mutation.input(`$id${i}`)} }) { ${mutation.selection} }`);
    const document = `mutation MxGuardTidy(${defs.join(", ")}) {\n  ${fields.join("\n  ")}\n}`;
    const variables = Object.fromEntries(batch.map((id, i) => [`id${i}`, id]));
    let data: Record<string, unknown> | null;
    try {
      data = await gh.octokit.graphql<Record<string, unknown>>(document, variables);
    } catch (error) {
      // A GraphQL answer with errors: the mutations that worked are in its `data`.
      data = (error as { data?: Record<string, unknown> | null }).data ?? null;
      gh.log.warn({ mutation: mutation.name, subjects: batch.length, cause: describeError(error) }, `GitHub refused ${mutation.name}`);
    }
    batch.forEach((id, i) => {
      if (!data?.[`m${i}`]) failed.push(id);
    });
  }
  return failed;
}
