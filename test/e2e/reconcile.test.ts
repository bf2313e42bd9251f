/**
 * Nothing missed, with the built app as a real process against the fake GitHub: pull requests
 * opened while the app was down (no webhook is ever sent) get a completed MX Guard check once the
 * periodic reconcile has listed the installations and their repositories; a pull request whose
 * head already has this app's completed check is not run again; another app's "MX Guard" run on
 * the head does not count as done.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, readTree, replaceAfter, type FileTree, type PullRequest } from "./fake-github/index.js";
import type { Actor, CheckRun } from "./fake-github/state.js";
import {
  ensureBuilt,
  EXAMPLE_REPO,
  REAL_APP,
  runtimeFromEnv,
  startApp,
  testAppKey,
  waitFor,
  waitForQuiet,
  type AppProcess,
} from "./harness.js";

const runtime = runtimeFromEnv();
const CHECK = "MX Guard";
const RULES = "campaign/mx-rules.yaml";
const RUN_TIMEOUT = 45_000;
const APP_ID = 1;

const fake = new FakeGitHub();
let app: AppProcess | null = null;
const exampleFiles = readTree(EXAMPLE_REPO);
const lowered = (files: FileTree) =>
  replaceAfter(files, RULES, 'mask: "*.yahoodns.net"', 'messagesPerHour: "20,000"', 'messagesPerHour: "5,000"');
const logs = () => `app stderr:\n${app?.stderr() ?? ""}\napp stdout:\n${app?.stdout() ?? ""}`;

let missed: PullRequest;
let checked: PullRequest;
let lookalike: PullRequest;
let otherInstallation: PullRequest;

function pullWithChange(owner: string, name: string, installationId: number, title: string): PullRequest {
  const { repo, sha } = fake.state.createRepository({ owner, name, files: exampleFiles, installationId });
  const head = fake.state.addCommit(repo, sha, lowered(exampleFiles), title);
  return fake.state.createPullRequest(repo, { baseSha: sha, headSha: head, title });
}

/** A completed "MX Guard" run on the pull request's head, posted by `by` before the app started. */
function seedCompletedRun(pull: PullRequest, by: Actor): CheckRun {
  const now = new Date().toISOString();
  const run: CheckRun = {
    id: fake.state.nextId("check-run", 7000),
    repo: pull.repo,
    app: by,
    name: CHECK,
    headSha: pull.headSha,
    externalId: `mx-guard:pull_request.opened:${randomUUID()}:pr-${pull.number}`,
    detailsUrl: null,
    status: "completed",
    conclusion: "success",
    startedAt: now,
    completedAt: now,
    output: { title: "seeded", summary: "seeded before the app started", text: null },
    annotations: [],
    actions: [],
    history: [],
  };
  fake.state.checkRuns.push(run);
  return run;
}

const runsOn = (pull: PullRequest) =>
  fake.state.checkRuns.filter((r) => r.repo === pull.repo && r.headSha === pull.headSha && r.name === CHECK);
const ownCompleted = (pull: PullRequest) => runsOn(pull).find((r) => r.app.appId === APP_ID && r.status === "completed");

beforeAll(async () => {
  ensureBuilt();
  await fake.start();
  // Registered before the app starts so that the seeded run is the bot's own.
  const bot = fake.registerApp({ id: APP_ID, slug: "mx-guard", publicKeyPem: testAppKey().publicKeyPem });
  const impostor = fake.state.user("lookalike-ci[bot]", "Bot");
  impostor.appId = 77;
  fake.addInstallation(43, "beta");

  // Everything below happens "while the app is down": no webhook is sent in this file.
  missed = pullWithChange("acme", "missed", 42, "Opened during the outage");
  checked = pullWithChange("acme", "checked", 42, "Checked before the outage");
  seedCompletedRun(checked, bot);
  lookalike = pullWithChange("acme", "lookalike", 42, "Another app's MX Guard");
  seedCompletedRun(lookalike, impostor);
  otherInstallation = pullWithChange("beta", "campaign", 43, "Second installation");

  app = await startApp({
    fake,
    appPath: REAL_APP,
    runtime,
    appId: APP_ID,
    env: { MX_GUARD_RECONCILE_MINUTES: "15", MX_GUARD_RECONCILE_DELAY_MS: "300" },
  });
});

afterAll(async () => {
  await app?.stop();
  await fake.stop();
});

describe(`the periodic reconcile (${runtime})`, () => {
  it("checks pull requests no webhook announced, skips the ones already checked by this app, ignores another app's run", {
    timeout: 120_000,
  }, async () => {
    const started = Date.now();
    const [missedRun, lookalikeRun, otherRun] = await Promise.all(
      [missed, lookalike, otherInstallation].map((pull) =>
        waitFor(`a completed check of this app on ${pull.repo.name}#${pull.number}`, () => ownCompleted(pull), {
          timeoutMs: RUN_TIMEOUT,
          onTimeout: logs,
        }),
      ),
    );
    const elapsed = Date.now() - started;
    for (const run of [missedRun, lookalikeRun, otherRun]) {
      expect(run?.externalId).toMatch(/^mx-guard:reconcile\.missed:.+:pr-\d+$/);
      expect(run?.conclusion).toBe("failure");
    }
    // The look-alike run is still there, beside this app's own.
    expect(
      runsOn(lookalike)
        .map((r) => r.app.appId)
        .sort(),
    ).toEqual([APP_ID, 77]);

    await waitForQuiet(fake, 1_500, 30_000);
    // The already-checked head was looked at and left alone: one run, the seeded one.
    const lookedAt = fake.requests.filter(
      (r) => r.route === "GET /repos/{owner}/{repo}/commits/{ref}/check-runs" && r.path.includes(`/checked/commits/${checked.headSha}/`),
    );
    expect(lookedAt.length).toBeGreaterThanOrEqual(1);
    expect(runsOn(checked)).toHaveLength(1);
    expect(fake.requests.some((r) => r.method === "POST" && r.path === "/repos/acme/checked/check-runs")).toBe(false);
    expect(fake.requests.some((r) => r.method === "POST" && r.path === "/repos/acme/checked/pulls/1/reviews")).toBe(false);

    // The listings were made with the app's JWT, then with each installation's token.
    const installations = fake.requests.filter((r) => r.route === "GET /app/installations");
    expect(installations.length).toBe(1);
    expect(installations[0]).toMatchObject({ status: 200, actor: `jwt:${APP_ID}` });
    const repositories = fake.requests.filter((r) => r.route === "GET /installation/repositories");
    expect(repositories.map((r) => [r.status, r.actor])).toEqual([
      [200, "mx-guard[bot]"],
      [200, "mx-guard[bot]"],
    ]);
    console.log(`reconcile e2e: three missed pull requests checked ${elapsed} ms after the wait began`);
  });
});
