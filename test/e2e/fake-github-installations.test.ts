/**
 * The fake GitHub's installation listings on their own (in-process, over real HTTP), as the
 * periodic reconcile uses them: `GET /app/installations` answers the app's JWT only and lists that
 * app's installations; `GET /installation/repositories` answers an installation token only and
 * lists that installation's repositories; both paginate with `per_page`/`page` and a Link header
 * that Octokit's paginate follows (including the `repositories` wrapper it unwraps).
 */
import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "./fake-github/index.js";
import { testAppKey } from "./harness.js";

const fake = new FakeGitHub();
const REPOSITORIES = 105;

function probot(appId: number, privateKey: string): Probot {
  return new Probot({
    appId,
    privateKey,
    baseUrl: fake.restUrl,
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      throttle: { enabled: false },
      retry: { enabled: false },
    })),
  });
}

async function get(path: string, authorization: string): Promise<{ status: number; json: unknown; link: string | null }> {
  const response = await fetch(`${fake.restUrl}${path}`, { headers: { authorization, accept: "application/vnd.github+json" } });
  return { status: response.status, json: await response.json(), link: response.headers.get("link") };
}

const other = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

beforeAll(async () => {
  await fake.start();
  fake.registerApp({ id: 1, slug: "mx-guard", publicKeyPem: testAppKey().publicKeyPem });
  fake.registerApp({ id: 2, slug: "other-app", publicKeyPem: other.publicKey });
  fake.addInstallation(42, "acme");
  fake.addInstallation(43, "beta");
  fake.addInstallation(50, "acme", undefined, 2);
  for (let i = 0; i < REPOSITORIES; i++) {
    fake.state.createRepository({ owner: "acme", name: `repo-${i}`, files: { "README.md": `${i}\n` }, installationId: 42 });
  }
  fake.state.createRepository({ owner: "beta", name: "only", files: { "README.md": "b\n" }, installationId: 43 });
});

afterAll(async () => {
  await fake.stop();
});

describe("installation listings", () => {
  it("lists only the JWT's app's installations, page by page", async () => {
    const octokit = await probot(1, testAppKey().privateKeyPem).auth();
    const all = await octokit.paginate(octokit.rest.apps.listInstallations, { per_page: 1 });
    expect(all.map((i) => [i.id, i.account?.login, i.app_id])).toEqual([
      [42, "acme", 1],
      [43, "beta", 1],
    ]);
    const pages = fake.requests.filter((r) => r.route === "GET /app/installations");
    expect(pages.map((r) => [r.query.page ?? "1", r.actor, r.status])).toEqual([
      ["1", "jwt:1", 200],
      ["2", "jwt:1", 200],
    ]);
    const otherApp = await probot(2, other.privateKey).auth();
    expect((await otherApp.rest.apps.listInstallations()).data.map((i) => i.id)).toEqual([50]);
  });

  it("lists an installation's repositories over several pages, with total_count on each", async () => {
    const octokit = await probot(1, testAppKey().privateKeyPem).auth(42);
    const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    expect(repositories).toHaveLength(REPOSITORIES);
    expect(new Set(repositories.map((r) => r.full_name)).size).toBe(REPOSITORIES);
    const token = fake.mintToken(42);
    const first = await get("/installation/repositories?per_page=100", `token ${token}`);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ total_count: REPOSITORIES, repository_selection: "all" });
    expect(first.link).toMatch(/[?&]page=2>; rel="next"/);
    const second = await get("/installation/repositories?per_page=100&page=2", `token ${token}`);
    expect((second.json as { repositories: unknown[] }).repositories).toHaveLength(REPOSITORIES - 100);
    const beta = await get("/installation/repositories", `token ${fake.mintToken(43)}`);
    expect((beta.json as { repositories: { full_name: string }[] }).repositories.map((r) => r.full_name)).toEqual(["beta/only"]);
  });

  it("refuses an installation token on the app's route and a JWT on the installation's, and another app's installation", async () => {
    const octokit = await probot(1, testAppKey().privateKeyPem).auth();
    const appJwt = ((await octokit.auth({ type: "app" })) as { token: string }).token;
    expect((await get("/app/installations", `token ${fake.mintToken(42)}`)).status).toBe(401);
    expect((await get("/installation/repositories", `bearer ${appJwt}`)).status).toBe(401);
    const response = await fetch(`${fake.restUrl}/app/installations/50/access_tokens`, {
      method: "POST",
      headers: { authorization: `bearer ${appJwt}` },
    });
    expect(response.status).toBe(404);
  });
});
