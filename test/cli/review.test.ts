/**
 * `mx-guard review --pull OWNER/REPO#N` against the fake GitHub Enterprise Server of the e2e tests
 * (test/e2e/fake-github, used only through its server API), in-process over real HTTP: REST under
 * /api/v3, GraphQL at /api/graphql, so every passing run also proves the --api-url routing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, readTree, replaceOnce, type PullRequest, type Repository } from "../e2e/fake-github/index.js";
import { EXAMPLE_REPO, testAppKey } from "../e2e/harness.js";
import { runCli } from "./helpers.js";

const RULES = "campaign/mx-rules.yaml";
const STICKY = "<!-- mx-guard:sticky -->";
const fake = new FakeGitHub();
const files = readTree(EXAMPLE_REPO);
let repo: Repository;
let token = "";
let base = "";

/** Throttling's write pacing off (1 s per write, 3 s per review or comment): the fake needs none. */
const client = { throttle: false, waitUnitMs: 1, retry: { sleep: async () => {} } };

function review(argv: string[], env: Record<string, string | undefined> = { GITHUB_TOKEN: token }) {
  return runCli(["review", ...argv], () => 0, { env, client });
}

function pullRequest(title: string, search: string, replacement: string): PullRequest {
  const head = fake.state.addCommit(repo, base, replaceOnce(files, RULES, search, replacement), title);
  return fake.state.createPullRequest(repo, { baseSha: base, headSha: head, title });
}

beforeAll(async () => {
  await fake.start();
  fake.registerApp({ id: 1, slug: "mx-guard", publicKeyPem: testAppKey().publicKeyPem });
  fake.addInstallation(42, "acme");
  ({ repo, sha: base } = fake.state.createRepository({ owner: "acme", name: "campaign", files, installationId: 42 }));
  token = fake.mintToken(42);
});

afterAll(async () => {
  await fake.stop();
});

describe("mx-guard review --pull", () => {
  it("creates and completes the check run and posts the review and the summary comment, through a GHE --api-url", async () => {
    const pull = pullRequest("Cut the Gmail quota", 'messagesPerHour: "60,000"', 'messagesPerHour: "6,000"');
    const since = fake.lastSeq;

    const { code, stdout, stderr } = await review(["--pull", `acme/campaign#${pull.number}`, "--api-url", `${fake.restUrl}/`]);

    expect(stderr).toBe("");
    expect(code).toBe(1);
    const runs = fake.state.checkRuns.filter((r) => r.headSha === pull.headSha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: "MX Guard", status: "completed", conclusion: "failure" });
    expect(stdout).toBe(
      `acme/campaign#${pull.number}: ${runs[0]!.output?.title} (failure); check run ${runs[0]!.id}, review: posted, summary comment: create\n`,
    );
    expect(fake.state.reviews.filter((r) => r.pull === pull)).toHaveLength(1);
    expect(fake.state.issueComments.filter((c) => c.issueNumber === pull.number && c.body.includes(STICKY))).toHaveLength(1);
    const requests = fake.requestsSince(since);
    // Every request reached a route of the fake: REST below /api/v3, GraphQL at /api/graphql.
    expect(requests.filter((r) => r.route.endsWith("(no route)"))).toEqual([]);
    expect(requests.map((r) => r.route)).toEqual(
      expect.arrayContaining([
        "GET /repos/{owner}/{repo}/pulls/{number}",
        "POST /repos/{owner}/{repo}/check-runs",
        "GET /repos/{owner}/{repo}/contents/{path+}",
        "POST /graphql",
        "PATCH /repos/{owner}/{repo}/check-runs/{id}",
        "POST /repos/{owner}/{repo}/pulls/{number}/reviews",
        "POST /repos/{owner}/{repo}/issues/{number}/comments",
      ]),
    );
    expect(requests.every((r) => r.headers.authorization === `token ${token}`)).toBe(true);
    expect(requests.find((r) => r.route === "POST /repos/{owner}/{repo}/check-runs")?.body).toMatchObject({
      external_id: expect.stringMatching(/^mx-guard:cli\.review:/),
    });
  });

  it("exits 0 on a pull request that breaks nothing, and --exit-zero keeps a failing check at 0", async () => {
    const quiet = pullRequest(
      "Reword a comment",
      "# MX management (defaultMXRules), in order",
      "# MX management (defaultMXRules), first match wins, in order",
    );
    expect((await review(["--pull", `acme/campaign#${quiet.number}`, "--api-url", fake.restUrl])).code).toBe(0);
    expect(fake.state.checkRuns.find((r) => r.headSha === quiet.headSha)).toMatchObject({ status: "completed", conclusion: "success" });

    const failing = pullRequest("Cut the Gmail quota again", 'messagesPerHour: "60,000"', 'messagesPerHour: "5,000"');
    expect((await review(["--pull", `acme/campaign#${failing.number}`, "--api-url", fake.restUrl, "--exit-zero"])).code).toBe(0);
    expect(fake.state.checkRuns.find((r) => r.headSha === failing.headSha)).toMatchObject({ conclusion: "failure" });
  });

  it("reads the policy from --config on the default branch", async () => {
    const pull = pullRequest("Cut the quota, other policy", 'messagesPerHour: "60,000"', 'messagesPerHour: "7,000"');
    const since = fake.lastSeq;
    await review(["--pull", `acme/campaign#${pull.number}`, "--api-url", fake.restUrl, "--config", "./ops//mx-guard.yml"]);
    const reads = fake.requestsSince(since, { route: "GET /repos/{owner}/{repo}/contents/{path+}" });
    expect(reads.map((r) => decodeURIComponent(r.path))).toContain("/repos/acme/campaign/contents/ops/mx-guard.yml");
    expect(reads.every((r) => r.query.ref === undefined)).toBe(true);
  });

  it("is a usage error (exit 2) without GITHUB_TOKEN, and sends nothing", async () => {
    const since = fake.lastSeq;
    const { code, stderr, stdout } = await review(["--pull", "acme/campaign#1", "--api-url", fake.restUrl], {});
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "mx-guard: review needs a GitHub token in GITHUB_TOKEN (with checks: write, pull-requests: write and contents: read)\n",
    );
    expect(fake.requestsSince(since)).toEqual([]);
  });

  it("exits 2 with GitHub's answer when it cannot run (an unknown pull request, a refused token)", async () => {
    let result = await review(["--pull", "acme/campaign#999", "--api-url", fake.restUrl]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^mx-guard: could not review acme\/campaign#999: GitHub answered 404 to GET \/api\/v3\/repos\/acme\/campaign\/pulls\/999: Not Found/,
    );
    result = await review(["--pull", "acme/campaign#1", "--api-url", fake.restUrl], { GITHUB_TOKEN: "ghs_notAToken0123456789" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("GitHub answered 401");
    expect(result.stderr).not.toContain("ghs_notAToken0123456789");
  });

  it("rejects malformed arguments with the usage text", async () => {
    for (const [argv, message] of [
      [["--pull", "acme/campaign"], "--pull acme/campaign: expected OWNER/REPO#NUMBER"],
      [[], "review needs --pull OWNER/REPO#N"],
      [["--pull", "a/b#1", "--api-url", "ftp://ghe.example.com/api/v3"], "--api-url ftp://ghe.example.com/api/v3: expected an http(s) URL"],
      [["--pull", "a/b#1", "--format", "json"], "--format does not apply to review"],
    ] as const) {
      const { code, stderr } = await review([...argv]);
      expect(code).toBe(2);
      expect(stderr).toContain(`mx-guard: ${message}`);
      expect(stderr).toContain("mx-guard review --pull OWNER/REPO#N");
    }
    const { code, stderr } = await review(["--pull", "a/b#1", "--config", "../elsewhere.yml"]);
    expect(code).toBe(2);
    expect(stderr).toBe("mx-guard: --config ../elsewhere.yml: expected a file path inside the repository\n");
  });
});
