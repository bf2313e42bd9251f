// A tiny Probot app used only to self-test the e2e harness and the fake GitHub over real HTTP,
// independently of mx-guard: it exercises the same API surface (installation token, config from
// the default branch, paginated PR files, a GraphQL blob query, a check run completed with
// annotations in batches of 50, a review on a diff line, a sticky comment updated in place).
// Run with `probot run <this file>`.

const MARKER = "<!-- sample-app:sticky -->";

/** The first RIGHT-side added line of a patch, or null. */
function firstAddedLine(patch) {
  let right = 0;
  for (const row of patch.split("\n")) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(row);
    if (header) {
      right = Number(header[1]);
      continue;
    }
    if (row.startsWith("+")) return right;
    if (row.startsWith(" ")) right += 1;
  }
  return null;
}

/** @param {import("probot").Probot} app */
export default (app) => {
  app.on(["pull_request.opened", "pull_request.synchronize"], async (context) => {
    const { owner, repo } = context.repo();
    const pr = context.payload.pull_request;
    const config = (await context.config("sample-app.yml", { annotations: 0, review: true })) ?? {};
    const { data: run } = await context.octokit.rest.checks.create({
      owner,
      repo,
      name: "Sample",
      head_sha: pr.head.sha,
      status: "in_progress",
      output: { title: "Working", summary: "Sample app is working." },
    });
    const files = await context.octokit.paginate(context.octokit.rest.pulls.listFiles, {
      owner,
      repo,
      pull_number: pr.number,
      per_page: 100,
    });
    const first = files.find((f) => f.status !== "removed");
    let blob = null;
    if (first) {
      const answer = await context.octokit.graphql(
        `query SampleBlob($owner: String!, $name: String!, $expr: String!) {
          repository(owner: $owner, name: $name) { file: object(expression: $expr) { ... on Blob { oid byteSize isTruncated text } } }
        }`,
        { owner, name: repo, expr: `${pr.head.sha}:${first.filename}` },
      );
      blob = answer.repository.file;
    }
    const count = Number(config.annotations) || 0;
    const annotations = Array.from({ length: count }, (_, i) => ({
      path: first ? first.filename : "README.md",
      start_line: 1,
      end_line: 1,
      annotation_level: "notice",
      message: `annotation ${i + 1}`,
    }));
    const summary = `files=${files.length} first=${first ? first.filename : "-"} bytes=${blob ? blob.byteSize : "-"} truncated=${blob ? blob.isTruncated : "-"}`;
    for (let i = 0; i + 50 < annotations.length; i += 50) {
      await context.octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: run.id,
        output: { title: "Working", summary, annotations: annotations.slice(i, i + 50) },
      });
    }
    const lastStart = annotations.length === 0 ? 0 : Math.floor((annotations.length - 1) / 50) * 50;
    await context.octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: run.id,
      status: "completed",
      conclusion: files.length > 0 ? "success" : "neutral",
      output: { title: "Done", summary, annotations: annotations.slice(lastStart) },
    });

    const withPatch = files.find((f) => f.patch && firstAddedLine(f.patch) !== null);
    if (config.review !== false && withPatch) {
      await context.octokit.rest.pulls.createReview({
        owner,
        repo,
        pull_number: pr.number,
        commit_id: pr.head.sha,
        event: "COMMENT",
        body: "Sample review",
        comments: [{ path: withPatch.filename, line: firstAddedLine(withPatch.patch), side: "RIGHT", body: "Sample comment" }],
      });
    }

    const body = `${MARKER}\n${summary}\nhead=${pr.head.sha}`;
    const comments = await context.octokit.paginate(context.octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pr.number,
      per_page: 100,
    });
    const sticky = comments.find((c) => c.body?.includes(MARKER) && c.user && c.user.type === "Bot");
    if (sticky) await context.octokit.rest.issues.updateComment({ owner, repo, comment_id: sticky.id, body });
    else await context.octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body });
    context.log.info({ pull: pr.number, files: files.length }, "sample app done");
  });
};
