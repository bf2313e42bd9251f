/**
 * The fake GitHub on its own (in-process, over real HTTP): the behaviour the app's end-to-end
 * tests rely on — patches, GitHub's limits and rejections, pagination, GraphQL, auth, error
 * injection. If the fake were lenient where GitHub is strict, the e2e suite would prove nothing.
 */
import { createHmac, generateKeyPairSync, createSign } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyPatch,
  FakeGitHub,
  GRAPHQL_BLOB_TEXT_BYTES,
  NOT_MODELLED,
  patchLines,
  readTree,
  replaceAfter,
  replaceOnce,
  unifiedPatch,
} from "./fake-github/index.js";
import type { Repository } from "./fake-github/state.js";
import { EXAMPLE_REPO, testAppKey } from "./harness.js";

const fake = new FakeGitHub();
let token = "";
let repo: Repository;
let baseSha = "";

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const response = await fetch(path.startsWith("/graphql") ? fake.graphqlUrl : `${fake.restUrl}${path}`, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, headers: response.headers };
}

function jwt(privateKeyPem: string, payload: Record<string, unknown>, alg = "RS256"): string {
  const head = Buffer.from(JSON.stringify({ alg, typ: "JWT" })).toString("base64url");
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const signer = createSign("RSA-SHA256");
  signer.update(`${head}.${body}`);
  return `${head}.${body}.${signer.sign(privateKeyPem).toString("base64url")}`;
}

beforeAll(async () => {
  await fake.start();
  fake.registerApp({ id: 1, slug: "mx-guard", publicKeyPem: testAppKey().publicKeyPem });
  fake.addInstallation(42, "acme");
  ({ repo, sha: baseSha } = fake.state.createRepository({
    owner: "acme",
    name: "campaign",
    files: readTree(EXAMPLE_REPO),
    installationId: 42,
  }));
  token = fake.mintToken(42);
});

afterAll(async () => {
  await fake.stop();
});

describe("unified patches", () => {
  it("apply back to the new text for arbitrary line edits (property)", () => {
    const line = fc.constantFrom("a", "b", "c", "d", "", "rule: x", "  - mask");
    const text = fc
      .tuple(fc.array(line, { maxLength: 40 }), fc.boolean())
      .map(([lines, eol]) => (lines.length === 0 ? "" : lines.join("\n") + (eol ? "\n" : "")));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const { patch } = unifiedPatch(before, after);
        if (before === after) return patch === "";
        patchLines(patch); // hunk counts add up
        return applyPatch(before, patch) === after;
      }),
      { numRuns: 400 },
    );
  });

  it("produces git's hunk header and context for a one-line change", () => {
    const before = `${Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n")}\n`;
    const after = before.replace("line 10\n", "line ten\n");
    expect(unifiedPatch(before, after).patch).toBe(
      ["@@ -7,7 +7,7 @@", " line 7", " line 8", " line 9", "-line 10", "+line ten", " line 11", " line 12", " line 13"].join("\n"),
    );
    const lines = patchLines(unifiedPatch(before, after).patch);
    expect([...lines.right.keys()]).toEqual([7, 8, 9, 10, 11, 12, 13]);
    expect(lines.right.has(6)).toBe(false);
  });

  it("marks a missing final newline and new files", () => {
    expect(unifiedPatch("", "a\nb").patch).toBe("@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file");
    expect(unifiedPatch("a\n", "").patch).toBe("@@ -1 +0,0 @@\n-a");
  });

  it("shows two unrelated large files as one replacing hunk that still applies", () => {
    const before = `${Array.from({ length: 3000 }, (_, i) => `old ${i}`).join("\n")}\n`;
    const after = Array.from({ length: 2500 }, (_, i) => `new ${i}`).join("\n");
    const { patch, additions, deletions } = unifiedPatch(before, after);
    expect(patch.split("\n")[0]).toBe("@@ -1,3000 +1,2500 @@");
    expect([additions, deletions]).toEqual([2500, 3000]);
    expect(patchLines(patch).hunks).toBe(1);
    expect(applyPatch(before, patch)).toBe(after);
  });

  it("refuses a patch whose hunk counts do not add up", () => {
    expect(() => patchLines("@@ -1,2 +1,2 @@\n-a\n+b")).toThrow(/line count did not match/);
    expect(() => patchLines(" a\n@@ -1 +1 @@\n-a\n+b")).toThrow(/not a hunk header/);
    expect(() => patchLines("@@ -1 +1 @@\n-a\n+b\n?c")).toThrow(/Unknown line/);
  });
});

describe("pull request files", () => {
  it("lists added, removed, modified and renamed files with patches, paginated with a Link header", async () => {
    const files = readTree(EXAMPLE_REPO);
    const changed = replaceAfter(
      files,
      "campaign/mx-rules.yaml",
      'mask: "*.yahoodns.net"',
      'messagesPerHour: "20,000"',
      'messagesPerHour: "5,000"',
    );
    expect(() => replaceOnce(files, "campaign/mx-rules.yaml", 'messagesPerHour: "20,000"', "x")).toThrow(/found 2/);
    const many: Record<string, string> = {};
    for (let i = 0; i < 130; i++) many[`docs/page-${String(i).padStart(3, "0")}.md`] = `# page ${i}\n`;
    const head = fake.state.addCommit(repo, baseSha, {
      ...changed,
      ...many,
      "campaign/traffic.yaml": null,
      "campaign/traffic-plan.yaml": files["campaign/traffic.yaml"] ?? "",
      "README.md": "hello\n",
    });
    const pull = fake.state.createPullRequest(repo, { baseSha, headSha: head });
    const page1 = await api("GET", `/repos/acme/campaign/pulls/${pull.number}/files?per_page=100`);
    expect(page1.status).toBe(200);
    expect(page1.json).toHaveLength(100);
    const link = page1.headers.get("link") ?? "";
    expect(link).toMatch(/rel="next"/);
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? "";
    expect(next.startsWith(`${fake.restUrl}/repos/acme/campaign/pulls/${pull.number}/files?`)).toBe(true);
    const page2 = await api("GET", next.slice(fake.restUrl.length));
    expect(page2.json).toHaveLength(133 - 100);
    expect(page2.headers.get("link")).not.toMatch(/rel="next"/);
    const all = [...page1.json, ...page2.json];
    const rules = all.find((f: any) => f.filename === "campaign/mx-rules.yaml");
    expect(rules.status).toBe("modified");
    expect(rules.patch).toContain('-    messagesPerHour: "20,000"\n+    messagesPerHour: "5,000"');
    expect(applyPatch(files["campaign/mx-rules.yaml"] ?? "", rules.patch)).toBe(changed["campaign/mx-rules.yaml"]);
    const renamed = all.find((f: any) => f.filename === "campaign/traffic-plan.yaml");
    expect(renamed).toMatchObject({ status: "renamed", previous_filename: "campaign/traffic.yaml" });
    expect(renamed.patch).toBeUndefined();
    expect(all.find((f: any) => f.filename === "README.md").status).toBe("added");
  });

  it("stops at 3,000 files", async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 3005; i++) many[`bulk/f${i}.txt`] = `${i}\n`;
    const head = fake.state.addCommit(repo, baseSha, many);
    const pull = fake.state.createPullRequest(repo, { baseSha, headSha: head });
    const last = await api("GET", `/repos/acme/campaign/pulls/${pull.number}/files?per_page=100&page=30`);
    expect(last.json).toHaveLength(100);
    const beyond = await api("GET", `/repos/acme/campaign/pulls/${pull.number}/files?per_page=100&page=31`);
    expect(beyond.json).toHaveLength(0);
  });
});

describe("pull request lookups", () => {
  it("lists open pulls newest first with pagination, finds pulls by commit, and gets one pull", async () => {
    const heads = Array.from({ length: 3 }, (_, i) => fake.state.addCommit(repo, baseSha, { [`lookup-${i}.txt`]: `${i}\n` }));
    const pulls = heads.map((headSha) => fake.state.createPullRequest(repo, { baseSha, headSha }));
    const open = fake.state.pulls.filter((p) => p.repo === repo && p.state === "open").length;
    const page1 = await api("GET", "/repos/acme/campaign/pulls?state=open&per_page=2");
    expect(page1.json.map((p: any) => p.number)).toEqual(
      [...fake.state.pulls]
        .filter((p) => p.repo === repo)
        .reverse()
        .slice(0, 2)
        .map((p) => p.number),
    );
    expect(page1.headers.get("link")).toContain(`page=${Math.ceil(open / 2)}>; rel="last"`);
    const byCommit = await api("GET", `/repos/acme/campaign/commits/${heads[1]}/pulls`);
    expect(byCommit.json.map((p: any) => p.number)).toEqual([pulls[1]?.number]);
    const one = await api("GET", `/repos/acme/campaign/pulls/${pulls[2]?.number}`);
    expect(one.json).toMatchObject({
      number: pulls[2]?.number,
      state: "open",
      head: { sha: heads[2] },
      base: { sha: baseSha, repo: { full_name: "acme/campaign" } },
    });
    expect((await api("GET", "/repos/acme/campaign/pulls/9999")).status).toBe(404);
  });
});

describe("reviews are all-or-nothing, like GitHub", () => {
  it("rejects the whole review with 422 when one comment is outside the diff or spans hunks", async () => {
    const before = `${Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n")}\n`;
    const after = before.replace("line 5\n", "line five\n").replace("line 30\n", "line thirty\n");
    const head = fake.state.addCommit(repo, baseSha, { "notes.txt": after });
    const base2 = fake.state.addCommit(repo, baseSha, { "notes.txt": before });
    const head2 = fake.state.addCommit(repo, base2, { "notes.txt": after });
    void head;
    const pull = fake.state.createPullRequest(repo, { baseSha: base2, headSha: head2 });
    const path = `/repos/acme/campaign/pulls/${pull.number}/reviews`;
    const ok = { path: "notes.txt", line: 5, side: "RIGHT", body: "fine" };
    const outside = await api("POST", path, {
      event: "COMMENT",
      body: "x",
      commit_id: head2,
      comments: [ok, { path: "notes.txt", line: 20, side: "RIGHT", body: "outside" }],
    });
    expect(outside.status).toBe(422);
    expect(JSON.stringify(outside.json.errors)).toContain("Pull request review thread line must be part of the diff");
    const spans = await api("POST", path, {
      event: "COMMENT",
      body: "x",
      comments: [{ path: "notes.txt", start_line: 5, line: 30, side: "RIGHT", body: "spans" }],
    });
    expect(spans.status).toBe(422);
    expect(JSON.stringify(spans.json.errors)).toContain("same hunk");
    const equal = await api("POST", path, {
      event: "COMMENT",
      body: "x",
      comments: [{ path: "notes.txt", start_line: 5, line: 5, body: "same" }],
    });
    expect(equal.status).toBe(422);
    const unknownPath = await api("POST", path, { event: "COMMENT", body: "x", comments: [{ path: "other.txt", line: 1, body: "?" }] });
    expect(unknownPath.status).toBe(422);
    expect(fake.state.reviews.filter((r) => r.pull === pull)).toHaveLength(0);
    expect(fake.state.reviewComments.filter((c) => c.pull === pull)).toHaveLength(0);

    const good = await api("POST", path, {
      event: "COMMENT",
      body: "x",
      comments: [
        ok,
        { path: "notes.txt", start_line: 28, line: 31, body: "range" },
        { path: "notes.txt", line: 5, side: "LEFT", body: "old" },
      ],
    });
    expect(good.status).toBe(200);
    expect(good.json.state).toBe("COMMENTED");
    const listed = await api("GET", `/repos/acme/campaign/pulls/${pull.number}/comments`);
    expect(listed.json.map((c: any) => [c.line, c.side, c.start_line])).toEqual([
      [5, "RIGHT", null],
      [31, "RIGHT", 28],
      [5, "LEFT", null],
    ]);
    expect((await api("GET", path)).json).toHaveLength(1);
  });
});

describe("check runs", () => {
  it("accepts 50 annotations per request, appends on PATCH, rejects 51 and long summaries", async () => {
    const annotation = (i: number) => ({
      path: "campaign/mx-rules.yaml",
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "warning",
      message: `m${i}`,
    });
    const created = await api("POST", "/repos/acme/campaign/check-runs", {
      name: "MX Guard",
      head_sha: baseSha,
      status: "in_progress",
      output: { title: "t", summary: "s", annotations: Array.from({ length: 50 }, (_, i) => annotation(i)) },
    });
    expect(created.status).toBe(201);
    const id = created.json.id;
    const tooMany = await api("PATCH", `/repos/acme/campaign/check-runs/${id}`, {
      output: { summary: "s", annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) },
    });
    expect(tooMany.status).toBe(422);
    const tooLong = await api("PATCH", `/repos/acme/campaign/check-runs/${id}`, { output: { title: "t", summary: "x".repeat(65_536) } });
    expect(tooLong.status).toBe(422);
    const noConclusion = await api("PATCH", `/repos/acme/campaign/check-runs/${id}`, { status: "completed" });
    expect(noConclusion.status).toBe(422);
    const done = await api("PATCH", `/repos/acme/campaign/check-runs/${id}`, {
      status: "completed",
      conclusion: "failure",
      output: { title: "t", summary: "x".repeat(65_535), annotations: [annotation(60)] },
    });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ status: "completed", conclusion: "failure", output: { annotations_count: 51 } });
    const listed = await api("GET", `/repos/acme/campaign/commits/${baseSha}/check-runs?check_name=MX%20Guard`);
    expect(listed.json.total_count).toBe(1);
    expect(listed.json.check_runs[0].id).toBe(id);
    const unknownSha = await api("POST", "/repos/acme/campaign/check-runs", { name: "MX Guard", head_sha: "f".repeat(40) });
    expect(unknownSha.status).toBe(422);
  });
});

describe("issue comments", () => {
  it("creates, updates in place and rejects bodies over 65,536 characters", async () => {
    const pull = fake.state.createPullRequest(repo, { baseSha, headSha: fake.state.addCommit(repo, baseSha, { "x.txt": "x\n" }) });
    const created = await api("POST", `/repos/acme/campaign/issues/${pull.number}/comments`, { body: "hello <!-- mx-guard:sticky -->" });
    expect(created.status).toBe(201);
    expect(created.json.user.login).toBe("mx-guard[bot]");
    const tooLong = await api("PATCH", `/repos/acme/campaign/issues/comments/${created.json.id}`, { body: "x".repeat(65_537) });
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(tooLong.json)).toContain("Body is too long");
    const atLimit = await api("PATCH", `/repos/acme/campaign/issues/comments/${created.json.id}`, { body: "y".repeat(65_536) });
    expect(atLimit.status).toBe(200);
    const listed = await api("GET", `/repos/acme/campaign/issues/${pull.number}/comments`);
    expect(listed.json).toHaveLength(1);
    expect(listed.json[0].body).toHaveLength(65_536);
  });
});

describe("contents and blobs", () => {
  it("serves JSON base64 and raw media types, 404 for a missing path, and raw blobs", async () => {
    const json = await api("GET", "/repos/acme/campaign/contents/.github%2Fmx-guard.yml");
    expect(json.status).toBe(200);
    const text = Buffer.from(json.json.content, "base64").toString("utf8");
    expect(text).toContain("failOn:");
    const raw = await api("GET", `/repos/acme/campaign/contents/.github%2Fmx-guard.yml?ref=${baseSha}`, undefined, {
      accept: "application/vnd.github.v3.raw",
    });
    expect(raw.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(raw.text).toBe(text);
    expect((await api("GET", "/repos/acme/campaign/contents/.github/missing.yml")).status).toBe(404);
    expect((await api("GET", "/repos/acme/.github/contents/.github%2Fmx-guard.yml")).status).toBe(404);
    const blob = await api("GET", `/repos/acme/campaign/git/blobs/${json.json.sha}`, undefined, {
      accept: "application/vnd.github.raw+json",
    });
    expect(blob.text).toBe(text);
  });
});

describe("GraphQL", () => {
  it("answers aliased object(expression) blobs given as literals or variables, with named and inline fragments", async () => {
    const big = "x".repeat(GRAPHQL_BLOB_TEXT_BYTES + 10);
    const head = fake.state.addCommit(repo, baseSha, { "big.txt": big });
    const query = `query Q($owner: String!, $name: String!, $h0: String!) {
      repository(owner: $owner, name: $name) {
        a: object(expression: "${baseSha}:campaign/mx-rules.yaml") { ... on Blob { oid text isTruncated isBinary byteSize } }
        h0: object(expression: $h0) { ...B }
        missing: object(expression: "${baseSha}:nope.yaml") { ...B }
        dir: object(expression: "${baseSha}:campaign") { ...B }
      }
    }
    fragment B on Blob { oid text isTruncated byteSize }`;
    const { json } = await api("POST", "/graphql", { query, variables: { owner: "acme", name: "campaign", h0: `${head}:big.txt` } });
    expect(json.errors).toBeUndefined();
    const r = json.data.repository;
    expect(r.a.text).toContain("*.yahoodns.net");
    expect(r.a.isTruncated).toBe(false);
    expect(r.h0.isTruncated).toBe(true);
    expect(r.h0.text).toHaveLength(GRAPHQL_BLOB_TEXT_BYTES);
    expect(r.h0.byteSize).toBe(big.length);
    expect(r.missing).toBeNull();
    expect(r.dir).toEqual({});
  });

  it("pages PR comments and reviews with viewerDidAuthor, and reports unknown fields as errors", async () => {
    const pull = fake.state.createPullRequest(repo, { baseSha, headSha: fake.state.addCommit(repo, baseSha, { "y.txt": "y\n" }) });
    fake.state.issueComments.push({
      id: 99_001,
      repo,
      issueNumber: pull.number,
      user: fake.state.user("someone"),
      body: "<!-- mx-guard:sticky --> quoted",
      createdAt: "",
      updatedAt: "",
      edits: [],
    });
    for (let i = 0; i < 3; i++) await api("POST", `/repos/acme/campaign/issues/${pull.number}/comments`, { body: `bot ${i}` });
    const query = `query($owner: String!, $name: String!, $number: Int!, $before: String) {
      repository(owner: $owner, name: $name) { pullRequest(number: $number) {
        comments(last: 2, before: $before) { pageInfo { hasPreviousPage startCursor } nodes { fullDatabaseId body viewerDidAuthor } }
        reviews(last: 100) { nodes { body viewerDidAuthor commit { oid } } }
      } }
    }`;
    const first = await api("POST", "/graphql", { query, variables: { owner: "acme", name: "campaign", number: pull.number } });
    const c1 = first.json.data.repository.pullRequest.comments;
    expect(c1.nodes.map((n: any) => n.body)).toEqual(["bot 1", "bot 2"]);
    expect(c1.nodes.every((n: any) => n.viewerDidAuthor === true && typeof n.fullDatabaseId === "string")).toBe(true);
    expect(c1.pageInfo.hasPreviousPage).toBe(true);
    const second = await api("POST", "/graphql", {
      query,
      variables: { owner: "acme", name: "campaign", number: pull.number, before: c1.pageInfo.startCursor },
    });
    const c2 = second.json.data.repository.pullRequest.comments;
    expect(c2.nodes.map((n: any) => [n.body.slice(0, 5), n.viewerDidAuthor])).toEqual([
      ["<!-- ", false],
      ["bot 0", true],
    ]);
    expect(c2.pageInfo.hasPreviousPage).toBe(false);
    const bad = await api("POST", "/graphql", { query: `{ repository(owner: "acme", name: "campaign") { nope } }` });
    expect(bad.json.errors[0].message).toContain("Field 'nope' doesn't exist on type 'Repository'");
    const unpaged = await api("POST", "/graphql", {
      query: `{ repository(owner: "acme", name: "campaign") { pullRequest(number: ${pull.number}) { comments { nodes { body } } } } }`,
    });
    expect(unpaged.json.errors[0].message).toContain("first");
  });

  it("rejects, before running anything, a document GitHub's schema does not allow", async () => {
    // The repository does not exist: a validation error, not NOT_FOUND, shows nothing ran.
    const where = `repository(owner: "nobody", name: "nothing")`;
    const rejected = async (query: string) => {
      const response = await api("POST", "/graphql", { query });
      expect(response.status).toBe(200);
      expect(response.json).not.toHaveProperty("data");
      return response.json.errors as { message: string; extensions?: Record<string, unknown>; locations: unknown[] }[];
    };
    const typo = `{ ${where} { pullRequest(number: 1) { reviewThreadz(first: 1) { totalCount } } } }`;
    const unknownField = await rejected(typo);
    expect(unknownField).toEqual([
      {
        message: "Field 'reviewThreadz' doesn't exist on type 'PullRequest'",
        locations: [{ line: 1, column: typo.indexOf("reviewThreadz") + 1 }],
        extensions: { code: "undefinedField", typeName: "PullRequest", fieldName: "reviewThreadz" },
      },
    ]);
    expect((await rejected(`{ ${where} { pullRequest(number: "1") { title } } }`))[0]?.message).toMatch(/Int/);
    expect((await rejected(`{ repository(owner: "acme") { id } }`))[0]?.message).toMatch(/argument "name" of type "String!" is required/);
    // An IssueComment is never a Blob: GitHub refuses the spread, it does not answer {}.
    const impossible = await rejected(`{ ${where} { pullRequest(number: 1) { comments(last: 1) { nodes { ... on Blob { text } } } } } }`);
    expect(impossible[0]?.message).toContain('can never be of type "Blob"');
    expect((await rejected(`{ ${where} { id `))[0]?.message).toMatch(/^Parse error: Syntax Error/);
  });

  it("answers a field or operation of GitHub's schema that the fake does not model, or an undeclared variable, with an error that names it", async () => {
    const { status, json } = await api("POST", "/graphql", {
      query: `{ repository(owner: "acme", name: "campaign") { name description } }`,
    });
    expect(status).toBe(200);
    // `description` is nullable on GitHub: the null comes with an error, never on its own.
    expect(json.data).toEqual({ repository: { name: "campaign", description: null } });
    expect(json.errors).toEqual([
      expect.objectContaining({
        type: NOT_MODELLED,
        path: ["repository", "description"],
        message: expect.stringContaining("does not model Repository.description"),
      }),
    ]);
    // A non-null field (`stargazerCount: Int!`) nulls its parent, as graphql-js does for GitHub.
    const nonNull = await api("POST", "/graphql", { query: `{ repository(owner: "acme", name: "campaign") { stargazerCount } }` });
    expect(nonNull.json.data).toEqual({ repository: null });
    expect(nonNull.json.errors[0]).toMatchObject({ type: NOT_MODELLED, path: ["repository", "stargazerCount"] });
    const mutation = await api("POST", "/graphql", {
      query: `mutation { addComment(input: { subjectId: "x", body: "y" }) { clientMutationId } }`,
    });
    // Mutations run (minimizeComment, resolveReviewThread); one the fake does not model is named.
    expect(mutation.json.data).toEqual({ addComment: null });
    expect(mutation.json.errors[0]).toMatchObject({ type: NOT_MODELLED, path: ["addComment"] });
    expect(mutation.json.errors[0].message).toContain("Mutation.addComment");
    const extra = await api("POST", "/graphql", {
      query: `query($name: String!) { repository(owner: "acme", name: $name) { name } }`,
      variables: { name: "campaign", owner: "acme" },
    });
    expect(extra.json).toEqual({ errors: [{ message: "Variable $owner is not defined by operation", type: "variableNotDefined" }] });
  });
});

describe("auth and error injection", () => {
  it("mints installation tokens only for an RS256 JWT signed by the app key", async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = jwt(testAppKey().privateKeyPem, { iat: now - 30, exp: now + 540, iss: 1 });
    const other = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const forged = jwt(other.privateKey, { iat: now - 30, exp: now + 540, iss: 1 });
    const expired = jwt(testAppKey().privateKeyPem, { iat: now - 700, exp: now - 100, iss: 1 });
    const hmac = (() => {
      const head = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
      const body = Buffer.from(JSON.stringify({ iat: now, exp: now + 60, iss: 1 })).toString("base64url");
      return `${head}.${body}.${createHmac("sha256", "k").update(`${head}.${body}`).digest("base64url")}`;
    })();
    const post = (bearer: string, installation = 42) =>
      fetch(`${fake.restUrl}/app/installations/${installation}/access_tokens`, {
        method: "POST",
        headers: { authorization: `bearer ${bearer}` },
      });
    const ok = await post(good);
    expect(ok.status).toBe(201);
    const minted = (await ok.json()) as { token: string; expires_at: string };
    expect(minted.token).toMatch(/^ghs_/);
    expect((await post(forged)).status).toBe(401);
    expect((await post(expired)).status).toBe(401);
    expect((await post(hmac)).status).toBe(401);
    expect((await post(good, 7)).status).toBe(404);
    expect((await api("GET", "/repos/acme/campaign", undefined, { authorization: "token nope" })).status).toBe(401);
  });

  it("fails the next matching requests with the injected status, then recovers", async () => {
    fake.failNext({ method: "GET", path: /^\/repos\/acme\/campaign$/, status: 403, headers: { "retry-after": "1" }, times: 2 });
    const a = await api("GET", "/repos/acme/campaign");
    const b = await api("GET", "/repos/acme/campaign");
    const c = await api("GET", "/repos/acme/campaign");
    expect([a.status, b.status, c.status]).toEqual([403, 403, 200]);
    expect(a.headers.get("retry-after")).toBe("1");
    expect(a.json.message).toMatch(/secondary rate limit/);
    expect(fake.pendingFailures()).toHaveLength(0);
    expect(fake.requests.filter((r) => r.injected)).toHaveLength(2);
  });
});
