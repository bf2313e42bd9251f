import { describe, expect, it } from "vitest";
import { RULES_OK } from "./helpers/campaign.js";
import { API, POLICY_YAML } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { scenario } from "./helpers/scenario.js";

const QUIET_POLICY = POLICY_YAML.replace("comment: update", "comment: off").replace("review: true", "review: false");
const MANY_FINDINGS = `${Array.from({ length: 120 }, (_, i) => `# finding fp-${String(i).padStart(3, "0")}`).join("\n")}\n`;

describe("a pull request with 3,000 files and 120 findings", () => {
  it("reads every page of files and attaches the annotations 50 at a time, completing with the last batch", async () => {
    const { probot, scope, updates } = await scenario({
      policy: QUIET_POLICY,
      repo: { trees: { [BASE_SHA]: { "campaign/mx-rules.yaml": RULES_OK }, [HEAD_SHA]: { "campaign/mx-rules.yaml": MANY_FINDINGS } } },
      inspect: (query) => {
        expect(query).not.toContain("pullRequest(");
      },
      updates: 3,
    });
    for (let page = 1; page <= 30; page++) {
      const files = Array.from({ length: 100 }, (_, i) => ({
        filename: page === 30 && i === 99 ? "campaign/mx-rules.yaml" : `src/file-${page}-${i}.txt`,
        status: "modified",
        patch: "@@ -1 +1 @@\n-a\n+b",
      }));
      const link: Record<string, string> =
        page < 30
          ? {
              link: `<${API}${REPO_PATH}/pulls/2/files?per_page=100&page=${page + 1}>; rel="next", <${API}${REPO_PATH}/pulls/2/files?per_page=100&page=30>; rel="last"`,
            }
          : {};
      scope
        .get(`${REPO_PATH}/pulls/2/files`)
        .query(page === 1 ? { per_page: "100" } : { per_page: "100", page: String(page) })
        .reply(200, files, link);
    }

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates.map((u) => u.output.annotations.length)).toEqual([50, 50, 20]);
    expect(updates.slice(0, 2).every((u) => u.status === undefined && u.conclusion === undefined)).toBe(true);
    expect(updates[2]).toMatchObject({ status: "completed", conclusion: "failure" });
    const titles = updates.flatMap((u) => u.output.annotations.map((a: { title: string }) => a.title));
    expect(new Set(titles).size).toBe(120);
    expect(titles[0]).toBe("Deadline missed (fp-000)");
    expect(titles[119]).toBe("Deadline missed (fp-119)");
  });
});

describe("a pull request with more findings than MX Guard annotates", () => {
  it("attaches the first 1,000 annotations and says so in the summary", async () => {
    const text = Array.from({ length: 1_030 }, (_, i) => `# finding many-${i}`).join("\n");
    const { probot, scope, updates } = await scenario({
      policy: QUIET_POLICY,
      repo: { trees: { [BASE_SHA]: {}, [HEAD_SHA]: { "campaign/mx-rules.yaml": text } } },
      updates: 20,
    });
    scope
      .get(`${REPO_PATH}/pulls/2/files`)
      .query({ per_page: "100" })
      .reply(200, [{ filename: "campaign/mx-rules.yaml", status: "modified" }]);

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates.reduce((n, u) => n + u.output.annotations.length, 0)).toBe(1_000);
    expect(updates[19]).toMatchObject({ status: "completed" });
    expect(updates[19]!.output.summary).toContain("at most 1000 annotations to a run: 30 more findings");
  });
});
