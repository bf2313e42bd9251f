/**
 * The App's security properties: webhooks are verified before anything runs, a forged delivery
 * costs one short log line, the policy never comes from the pull request, repository content is
 * never executed, and no credential reaches the logs even at trace level.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { defaultEngine } from "../../src/engine/index.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { API, hunkPatch, POLICY_YAML, type FakeRepository, UNCHANGED_REPO } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { privateKey } from "./helpers/probot.js";
import { githubEvent, LOOKUP_ONLY, RULES_CHANGED, RULES_REPO, scenario } from "./helpers/scenario.js";
import { loadSecureApp, postWebhook, sign, WEBHOOK_SECRET } from "./security-helpers.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TOKEN = "ghs_Zk3vQn8TwY2pLm5Rb7Xc1Hd4Jf6Gs9Ua0Ve";
/** A string only the webhook payload carries: if it shows up in the logs, the payload was logged. */
const PAYLOAD_MARKER = "payload-marker-2f8e1c7a";

function forgedPayload(): string {
  const payload = pullRequestEvent("opened");
  payload.pull_request.title = `Lower the quota ${PAYLOAD_MARKER}`;
  return JSON.stringify(payload);
}

describe("webhook signatures", () => {
  const forgeries: [string, (body: string) => Record<string, string | undefined>][] = [
    ["signed with another secret", (body) => ({ "x-hub-signature-256": sign("not-the-secret", body) })],
    ["signed over another body (a replay with an edited payload)", (body) => ({ "x-hub-signature-256": sign(WEBHOOK_SECRET, `${body} `) })],
    ["a zero signature", () => ({ "x-hub-signature-256": `sha256=${"0".repeat(64)}` })],
    ["a truncated signature", (body) => ({ "x-hub-signature-256": sign(WEBHOOK_SECRET, body).slice(0, 40) })],
    ["a SHA-1 signature only", () => ({ "x-hub-signature-256": "sha1=0123456789abcdef0123456789abcdef01234567" })],
    ["an empty signature", () => ({ "x-hub-signature-256": "" })],
    ["no signature at all", () => ({ "x-hub-signature-256": undefined })],
  ];

  it.each(forgeries)("%s: 400, no handler, no GitHub call, one short log line without the payload", async (_name, headers) => {
    const engine = createFakeEngine();
    const { probot, captured } = await loadSecureApp(engine);
    const body = forgedPayload();
    // Any GitHub call would be an unmatched request (the setup file fails the test on those).

    const answer = await postWebhook(probot, "pull_request", body, headers(body));

    expect(answer.status).toBe(400);
    expect(engine.sides).toHaveLength(0);
    const records = captured.records().filter((r) => (r.level as number) >= 40);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(String(record!.msg)).toMatch(/^webhook rejected \(400\)/);
    const text = captured.text();
    expect(text).not.toContain(PAYLOAD_MARKER);
    expect(text).not.toMatch(/\n\s+at /);
    expect(text).not.toContain('"stack"');
    expect(captured.text().length).toBeLessThan(1_000);
  });

  it("without the guard, Probot alone logs a forged delivery twice with the whole payload (what the guard removes)", async () => {
    const { probot, captured } = await loadSecureApp(createFakeEngine(), { app: false });
    const body = forgedPayload();

    const answer = await postWebhook(probot, "pull_request", body, { "x-hub-signature-256": sign("not-the-secret", body) });

    expect(answer.status).toBe(400);
    const errors = captured.records().filter((r) => r.level === 50);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(captured.text()).toContain(PAYLOAD_MARKER);
  });

  it("rejects a body larger than GitHub ever sends (413) without reading it all", async () => {
    const { probot, captured } = await loadSecureApp(createFakeEngine());
    const answer = await postWebhook(probot, "pull_request", "{}", { "content-length": String(26 * 1024 * 1024) });
    expect(answer.status).toBe(413);
    expect(captured.records().filter((r) => (r.level as number) >= 40)).toHaveLength(1);
  });

  it("hands a correctly signed delivery to the handlers (200) through the same middleware", async () => {
    const { probot } = await loadSecureApp(createFakeEngine());
    const { updates } = githubEvent({ files: [{ filename: "README.md" }], repo: UNCHANGED_REPO });

    const answer = await postWebhook(probot, "pull_request", forgedPayload());

    expect(answer).toEqual({ status: 200, body: "ok\n" });
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("leaves other routes and malformed requests to Probot (415 for a non-JSON body)", async () => {
    const { probot, captured } = await loadSecureApp(createFakeEngine());
    const answer = await postWebhook(probot, "pull_request", "a=b", { "content-type": "application/x-www-form-urlencoded" });
    expect(answer.status).toBe(415);
    expect(captured.records().filter((r) => (r.level as number) >= 50)).toHaveLength(0);
  });
});

describe("the policy comes from the default branch only", () => {
  it("ignores a pull request that rewrites .github/mx-guard.yml to switch its own gate off", async () => {
    const headPolicy = "instances: []\nfailOn: []\nreview: false\ncomment: off\n";
    const repo: FakeRepository = {
      trees: {
        [BASE_SHA]: { ...RULES_REPO.trees[BASE_SHA], ".github/mx-guard.yml": POLICY_YAML },
        [HEAD_SHA]: { ...RULES_REPO.trees[HEAD_SHA], ".github/mx-guard.yml": headPolicy },
      },
    };
    const asked: string[] = [];
    const { probot, scope, updates, reviews, comments } = await scenario({
      policy: false, // answered below, recording the paths asked for
      files: [
        { filename: ".github/mx-guard.yml", patch: `@@ -1,9 +1,4 @@\n+${headPolicy.trimEnd().split("\n").join("\n+")}` },
        ...RULES_CHANGED,
      ],
      repo,
      inspect: (_query, variables) => asked.push(...Object.values(variables).map(String)),
      review: true,
      comment: true,
    });
    const policyReads: string[] = [];
    scope
      .get((path) => path.startsWith(`${REPO_PATH}/contents/`))
      .reply(
        200,
        function () {
          policyReads.push(this.req.path);
          return POLICY_YAML;
        },
        { "content-type": "application/vnd.github.raw; charset=utf-8" },
      );

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    // Read once, by path on the default branch: no ref, so never the head commit.
    expect(policyReads).toEqual([`${REPO_PATH}/contents/.github%2Fmx-guard.yml`]);
    expect(asked.some((v) => v.includes("mx-guard.yml"))).toBe(false);
    // The default branch's policy rules: the finding fails the check, the review and comment are posted.
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(reviews).toHaveLength(1);
    expect(comments).toHaveLength(1);
  });
});

describe("repository content is never executed", () => {
  function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith(".ts") ? [full] : [];
    });
  }
  /** Source without comments and string contents, so prose and messages do not count. */
  function code(text: string): string {
    return text
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/(^|[^:\\])\/\/.*$/gm, "$1")
      .replace(/`(?:\\[\s\S]|[^`\\])*`/g, "``")
      .replace(/"(?:\\.|[^"\\\n])*"/g, '""')
      .replace(/'(?:\\.|[^'\\\n])*'/g, "''");
  }

  it("src/ has no eval, no Function constructor, no vm, and no dynamic import or require of a computed name", () => {
    const offences: string[] = [];
    const files = sourceFiles(join(ROOT, "src"));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const stripped = code(text);
      const rel = relative(ROOT, file);
      const checks: [RegExp, string][] = [
        // The global eval only: `client.eval(LUA, …)` (Redis scripts written in src/) is no JS eval.
        [/(?<![.#\w])eval\s*\(/, "eval("],
        [/\bnew\s+Function\b/, "new Function"],
        [/(?<![.\w])Function\s*\(/, "Function("],
        // import() only of a literal specifier (the Action loads its artifact client lazily).
        [/\bimport\s*\((?!\s*["'][^"'`$]+["']\s*\))/, "dynamic import() of a computed name"],
        [/["']node:vm["']|["']vm["']/, "node:vm"],
        [/setTimeout\s*\(\s*["'`]|setInterval\s*\(\s*["'`]/, "timer with a string body"],
      ];
      for (const [pattern, label] of checks)
        if (pattern.test(label === "node:vm" || label.startsWith("dynamic import") ? text : stripped)) offences.push(`${rel}: ${label}`);
      // require() only with a literal path (the CLI reads package.json that way).
      for (const match of text.matchAll(/\brequire\s*\(([^)]*)\)/g)) {
        if (!/^\s*["'][^"']+["']\s*$/.test(match[1] ?? "")) offences.push(`${rel}: require(${match[1]})`);
      }
    }
    expect(offences).toEqual([]);
  });

  it("the App's module graph (from src/index.ts) never loads child_process or vm, and worker_threads only for the engine pool's fixed worker", () => {
    const seen = new Set<string>();
    const importers = new Map<string, string[]>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:from|import)\s*["']([^"']+)["']/g)) {
        const spec = match[1]!;
        if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
        else {
          const name = spec.replace(/^node:/, "");
          importers.set(name, [...(importers.get(name) ?? []), relative(ROOT, file)]);
        }
      }
    };
    visit(join(ROOT, "src/index.ts"));
    // The pool starts its worker from a URL fixed next to its own module, never from anything a request carries.
    const pool = readFileSync(join(ROOT, "src/engine/pool.ts"), "utf8");
    expect(pool).toContain('new URL("./pool-worker.js", import.meta.url)');
    visit(join(ROOT, "src/engine/pool-worker.ts"));
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].some((f) => f.endsWith("src/github/pipeline.ts"))).toBe(true);
    for (const forbidden of ["child_process", "vm"]) expect(importers.has(forbidden), forbidden).toBe(false);
    expect(importers.get("worker_threads")?.sort()).toEqual(["src/engine/pool-worker.ts", "src/engine/pool.ts"]);
  });

  const TAGGED = [
    '!!js/function "function () { globalThis.__mxGuardPwned = true; }"',
    "!<tag:yaml.org,2002:js/function> 'function () { globalThis.__mxGuardPwned = true; }'",
    "!!js/undefined ''",
    "!!js/regexp /(a+)+$/",
    "!!python/object/apply:os.system ['touch /tmp/mx-guard-pwned']",
  ];

  it.each(TAGGED)("a policy value tagged %s is inert: the check completes and nothing runs", async (tagged) => {
    const { probot, updates } = await scenario({ policy: `${POLICY_YAML}comment: ${tagged}\n`.replace("comment: update\n", "") });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect((globalThis as Record<string, unknown>).__mxGuardPwned).toBeUndefined();
  });

  it("Campaign files with YAML code tags are inert under the real engine: the check completes, nothing runs", {
    timeout: 30_000,
  }, async () => {
    const example = (p: string) => readFileSync(join(ROOT, "examples/campaign-repo", p), "utf8");
    const base = {
      "campaign/serverConf.xml": example("campaign/serverConf.xml"),
      "campaign/config-prod.xml": example("campaign/config-prod.xml"),
      "campaign/mx-rules.yaml": example("campaign/mx-rules.yaml"),
      "campaign/traffic.yaml": example("campaign/traffic.yaml"),
    };
    const hostile = base["campaign/mx-rules.yaml"].replace(/messagesPerHour: "[^"]+"/, `messagesPerHour: ${TAGGED[0]}`);
    expect(hostile).not.toBe(base["campaign/mx-rules.yaml"]);
    const head = { ...base, "campaign/mx-rules.yaml": `${hostile}\nextra: ${TAGGED[1]}\n` };
    const { probot } = await scenario({
      engine: defaultEngine,
      policy: example(".github/mx-guard.yml"),
      files: [{ filename: "campaign/mx-rules.yaml", patch: hunkPatch(head["campaign/mx-rules.yaml"], 1, 4) }],
      repo: { trees: { [BASE_SHA]: base, [HEAD_SHA]: head } },
    });
    // Whatever the verdict, posting may follow: accept a review and a comment if the engine asks.
    nock(API).post(`${REPO_PATH}/pulls/2/reviews`).optionally().reply(200, { id: 1 });
    nock(API).post(`${REPO_PATH}/issues/2/comments`).optionally().reply(201, { id: 2 });
    nock(API).post(`${REPO_PATH}/pulls/2/comments`).optionally().times(10).reply(201, { id: 3 });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect((globalThis as Record<string, unknown>).__mxGuardPwned).toBeUndefined();
  });
});

describe("no credential in the logs, even at trace level", () => {
  it("a full run, a retried 5xx, a secondary rate limit and a failed delivery log no secret, key, token or JWT", async () => {
    const { probot, captured } = await loadSecureApp(createFakeEngine(), { retry: true });
    const { scope } = githubEvent({
      token: false, // answered below, keeping the JWT it was asked with
      files: RULES_CHANGED,
      repo: RULES_REPO,
      review: true,
      comment: true,
      first: (scope) => {
        scope.post(`${REPO_PATH}/check-runs`).reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "2" });
        scope
          .get(`${REPO_PATH}/pulls/2/files`)
          .query({ per_page: "100" })
          .reply(502, { message: `Bad Gateway, token ${TOKEN}` });
      },
    });
    const jwts: string[] = [];
    scope.post("/app/installations/2/access_tokens").reply(function () {
      jwts.push(String(this.req.headers.authorization).replace(/^bearer\s+/i, ""));
      return [201, { token: TOKEN, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: { checks: "write" } }];
    });
    const tokenHeaders: string[] = [];
    scope.on("request", (req: { headers: Record<string, string> }) => tokenHeaders.push(String(req.headers.authorization)));

    const ok = await postWebhook(probot, "pull_request", JSON.stringify(pullRequestEvent("opened")));
    expect(ok.status).toBe(200);

    // A second delivery that fails outright (a 403 that is no rate limit): Probot's error path logs it.
    githubEvent({
      ...LOOKUP_ONLY,
      token: false,
      head: "1111111111111111111111111111111111111111",
      first: (scope) => scope.post(`${REPO_PATH}/check-runs`).reply(403, { message: "Resource not accessible by integration" }),
    });
    const failed = await postWebhook(
      probot,
      "pull_request",
      JSON.stringify(pullRequestEvent("synchronize", { head: "1111111111111111111111111111111111111111" })),
    );
    // Acknowledged at once (the run is queued); the run that fails is logged in one short line.
    expect(failed.status).toBe(200);
    const failures = captured.records().filter((r) => String(r.msg) === "MX Guard could not handle the event");
    expect(failures).toHaveLength(1);
    expect(JSON.stringify(failures[0])).toContain("Resource not accessible");
    expect(JSON.stringify(failures[0]).length).toBeLessThan(1_000);

    const text = captured.text();
    // The capture is real: trace/debug lines of the requests and the error path are there.
    expect(captured.records().some((r) => r.level === 10 || r.level === 20)).toBe(true);
    expect(text).toContain("/pulls/2/files");
    expect(text).toContain("Resource not accessible by integration");
    expect(jwts).toHaveLength(1);
    expect(jwts[0]!.split(".")).toHaveLength(3);
    expect(tokenHeaders.some((h) => h.includes(TOKEN))).toBe(true);

    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain(TOKEN);
    for (const jwt of jwts) {
      expect(text).not.toContain(jwt);
      expect(text).not.toContain(jwt.split(".")[2]!);
    }
    const keyLines = privateKey.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----"));
    expect(keyLines.length).toBeGreaterThan(10);
    for (const line of keyLines) expect(text).not.toContain(line);
    expect(text).not.toMatch(/PRIVATE KEY/);
  });
});
