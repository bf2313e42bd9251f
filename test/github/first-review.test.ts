import { describe, expect, it } from "vitest";
import { fingerprintMarker } from "../../src/render/review-comments.js";
import { STICKY_MARKER } from "../../src/render/sticky-comment.js";
import { CAMPAIGN_TREE, RULES_BAD, SERVER_CONF, TRAFFIC } from "./helpers/campaign.js";
import { SUGGESTION } from "./helpers/fake-engine.js";
import { CHECK_RUN_ID, expectStarted, hunkPatch } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { scenario } from "./helpers/scenario.js";

const BASE_TREE = CAMPAIGN_TREE;
const HEAD_TREE = {
  ...BASE_TREE,
  "campaign/serverConf.xml": SERVER_CONF.replace("true", "false"),
  "campaign/mx-rules.yaml": RULES_BAD,
  "campaign/traffic.yaml": TRAFFIC.replace("6h", "4h"),
};

describe("a pull request that makes a Campaign change fail", () => {
  it("fails the check, reviews the changed lines with a suggestion and creates the sticky comment in 8 API calls", async () => {
    let graphqlVariables: Record<string, unknown> = {};
    const { probot, engine, calls, started, updates, reviews, comments } = await scenario({
      files: [
        { filename: "campaign/mx-rules.yaml", patch: hunkPatch(RULES_BAD, 1, 7) },
        { filename: "campaign/traffic.yaml", patch: hunkPatch(HEAD_TREE["campaign/traffic.yaml"], 2, 5) },
        { filename: "campaign/serverConf.xml", patch: hunkPatch(HEAD_TREE["campaign/serverConf.xml"], 1, 3) },
        { filename: "README.md", patch: "@@ -1 +1 @@\n-a\n+b" },
      ],
      repo: { trees: { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: HEAD_TREE } },
      inspect: (query, variables) => {
        graphqlVariables = variables;
        expect(query).toContain("... on Blob");
        expect(query).toContain("isTruncated");
        expect(query).toContain("pullRequest(number: $number)");
      },
      review: true,
      comment: true,
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expectStarted(started);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ commit_id: HEAD_SHA, event: "COMMENT" });
    expect(reviews[0]!.body).toContain("<!-- mx-guard:review fingerprints=google-quota -->");
    expect(reviews[0]!.comments).toHaveLength(1);
    const [comment] = reviews[0]!.comments;
    expect(comment).toMatchObject({ path: "campaign/mx-rules.yaml", start_line: 2, start_side: "RIGHT", line: 6, side: "RIGHT" });
    // The engine's prose, then the suggestion block and the fingerprint marker, rendered once placed.
    expect(comment.body).toBe(
      `**Deadline missed (google-quota)** Fake finding google-quota in campaign/mx-rules.yaml.\n\n\`\`\`suggestion\n${SUGGESTION}\n\`\`\`\n\n${fingerprintMarker("google-quota")}`,
    );
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(STICKY_MARKER)).toBe(true);
    expect(comments[0]!.body).toContain("google-quota: new");

    // Both sides of every watched path in one GraphQL request, by commit and path.
    expect(graphqlVariables).toMatchObject({
      owner: "Codertocat",
      name: "Hello-World",
      number: 2,
      b0: `${BASE_SHA}:campaign/config-prod.xml`,
      h0: `${HEAD_SHA}:campaign/config-prod.xml`,
      b2: `${BASE_SHA}:campaign/providers.yaml`,
      h4: `${HEAD_SHA}:campaign/traffic.yaml`,
    });
    // The engine saw base and head as GitHub has them; providers.yaml exists on neither side.
    expect(engine.sides).toEqual([
      { ...BASE_TREE, "campaign/providers.yaml": null },
      { ...HEAD_TREE, "campaign/providers.yaml": null },
    ]);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: {
        title: "MX Guard: 1 problem(s)",
        annotations: [
          {
            path: "campaign/mx-rules.yaml",
            start_line: 2,
            end_line: 6,
            annotation_level: "failure",
            title: "Deadline missed (google-quota)",
          },
        ],
      },
    });
    expect(updates[0]!.output.summary).toContain("| google-quota | new |");
    expect(calls).toEqual([
      `GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`,
      `POST ${REPO_PATH}/check-runs`,
      `GET ${REPO_PATH}/contents/.github%2Fmx-guard.yml`,
      `GET ${REPO_PATH}/pulls/2/files`,
      "POST /graphql",
      `PATCH ${REPO_PATH}/check-runs/${CHECK_RUN_ID}`,
      `POST ${REPO_PATH}/pulls/2/reviews`,
      `POST ${REPO_PATH}/issues/2/comments`,
    ]);
    expect(calls.length).toBeLessThanOrEqual(8);
  });
});
