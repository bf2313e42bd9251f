import { describe, expect, it } from "vitest";
import { parsePolicy, policyFromObject } from "../../src/parse/policy.js";
import { errorsOf, fixture, onlyError, valueOf, yaml } from "./yaml-helpers.js";

const FILE = ".github/mx-guard.yml";
const parse = (text: string | null) => parsePolicy(text, text === null ? null : FILE);

const DEFAULT_INSTANCE = {
  name: "default",
  serverConf: "campaign/serverConf.xml",
  // config-default.xml holds Campaign's multi-instance processes, never the default instance's override.
  instanceConf: null,
  mxRules: "campaign/mx-rules.yaml",
  traffic: "campaign/traffic.yaml",
  providers: "campaign/providers.yaml",
  explicit: { instanceConf: false, providers: false },
};

describe("parsePolicy: values", () => {
  it("no file: every default", () => {
    expect(valueOf(parse(null))).toEqual({
      instances: [DEFAULT_INSTANCE],
      model: { quotaMet: "abandon", retrySchedule: "hourly-from-start", spillOver: false, workingSet: "shared", sharedScope: "rule" },
      failOn: ["delivery-expiry", "deadline-miss", "tls-required", "no-path", "affinity-missing", "quota-raise", "config-error"],
      comment: "update",
      review: true,
      maxRaise: 2,
      file: null,
    });
  });

  it("maxRaise: a factor above 1; anything else is refused with its position", () => {
    expect(valueOf(parse("maxRaise: 1.5\n")).maxRaise).toBe(1.5);
    for (const [text, message] of [
      ["maxRaise: 1\n", /too small/],
      ["maxRaise: 0.5\n", /too small/],
      ['maxRaise: "2"\n', /expected a number/],
      ["maxRaise: 5000\n", /too large/],
    ] as const) {
      const result = parse(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) {
        expect(result.errors[0]).toMatchObject({ line: 1, column: 11 });
        expect(result.errors[0]!.message).toMatch(message);
      }
    }
  });

  it("reads the model options, keeping the defaults it does not set", () => {
    expect(valueOf(parse("model:\n  quotaMet: pace\n  spillOver: true\n")).model).toEqual({
      quotaMet: "pace",
      retrySchedule: "hourly-from-start",
      spillOver: true,
      workingSet: "shared",
      sharedScope: "rule",
    });
    expect(
      valueOf(parse("model:\n  workingSet: by-domain\n  retrySchedule: spread-over-first-day\n  sharedScope: site\n")).model,
    ).toMatchObject({
      workingSet: "by-domain",
      retrySchedule: "spread-over-first-day",
      sharedScope: "site",
    });
  });

  it("reads an instance's mtaHosts and statServer", () => {
    expect(valueOf(parse("instances:\n  - name: prod\n    mtaHosts: 3\n    statServer: stat-eu\n")).instances[0]).toMatchObject({
      mtaHosts: 3,
      statServer: "stat-eu",
    });
    expect(valueOf(parse("instances:\n  - name: prod\n")).instances[0]!.mtaHosts).toBeUndefined();
    expect(valueOf(parse("instances:\n  - name: prod\n")).instances[0]!.statServer).toBeUndefined();
  });

  it("refuses a statServer that is not a name, and an unknown sharedScope, with their positions", () => {
    expect(onlyError(parse("instances:\n  - name: prod\n    statServer: 'a b'\n"))).toMatchObject({ line: 3 });
    const scope = onlyError(parse("model:\n  sharedScope: provider\n"));
    expect(scope).toMatchObject({ line: 2 });
    expect(scope.message).toContain("rule | site");
  });

  it("refuses an unknown model option value with its position", () => {
    const error = onlyError(parse("model:\n  workingSet: partitioned\n"));
    expect(error).toMatchObject({ line: 2 });
    expect(error.message).toContain("shared | by-domain");
  });

  it("an empty file: every default, with its path", () => {
    expect(valueOf(parse("# nothing\n"))).toMatchObject({ instances: [DEFAULT_INSTANCE], comment: "update", file: FILE });
  });

  it("reads instances with per-instance defaults, and ignores _extends", () => {
    const policy = valueOf(parse(fixture("mx-guard.yml")));
    expect(policy.instances).toEqual([
      {
        name: "prod",
        serverConf: "campaign/serverConf.xml",
        instanceConf: "campaign/config-prod.xml",
        mxRules: "campaign/mx-rules.yaml",
        traffic: "campaign/traffic.yaml",
        providers: null,
        explicit: { instanceConf: true, providers: false },
      },
      { ...DEFAULT_INSTANCE, name: "staging", instanceConf: "campaign/config-staging.xml" },
    ]);
    expect(policy).toMatchObject({
      failOn: ["delivery-expiry", "tls-required", "quota-deferral"],
      comment: "new",
      review: false,
      file: FILE,
    });
    expect(policy).not.toHaveProperty("_extends");
  });

  it("an empty failOn never fails, duplicates are dropped", () => {
    expect(valueOf(parse("failOn: []\n")).failOn).toEqual([]);
    expect(valueOf(parse("failOn: [no-path, no-path]\n")).failOn).toEqual(["no-path"]);
  });
});

describe("parsePolicy: errors", () => {
  it("unknown finding id with did-you-mean", () => {
    expect(onlyError(parse(yaml("failOn:", "  - delivery-expiry", "  - tls-requried")))).toMatchObject({
      line: 3,
      column: 5,
      found: '"tls-requried"',
      hint: 'did you mean "tls-required"?',
    });
  });

  it("duplicate instance names at the second", () => {
    expect(onlyError(parse(yaml("instances:", "  - name: prod", "  - name: prod")))).toMatchObject({
      line: 3,
      column: 11,
      message: 'the instance name "prod" is used twice',
    });
  });

  it.each([
    ["/etc/passwd", '"/etc/passwd" is absolute; paths are relative to the repository root'],
    ["campaign/../../secrets.yaml", '"campaign/../../secrets.yaml" leaves the repository ("..")'],
    ["..", '".." leaves the repository ("..")'],
    ["C:/campaign/x.xml", '"C:/campaign/x.xml" is absolute; paths are relative to the repository root'],
    ["campaign\\\\x.xml", '"campaign\\\\x.xml" uses backslashes'],
    ["campaign/", '"campaign/" names a directory'],
    ['""', "the path is empty"],
  ])("path %s", (path, message) => {
    expect(onlyError(parse(yaml("instances:", "  - name: prod", `    mxRules: ${path}`)))).toMatchObject({ line: 3, column: 14, message });
  });

  it("comment mode and review", () => {
    expect(onlyError(parse("comment: sticky\n"))).toMatchObject({
      line: 1,
      column: 10,
      expected: "one of update | new | hide-and-new | delete-and-new | off",
    });
    expect(onlyError(parse("review: 1\n"))).toMatchObject({ line: 1, column: 9, message: "expected true or false" });
  });

  it("unknown key with did-you-mean", () => {
    expect(onlyError(parse("failon: [no-path]\n"))).toMatchObject({ line: 1, column: 1, hint: 'did you mean "failOn"?' });
  });

  it("instances must not be empty; names must be valid", () => {
    expect(onlyError(parse("instances: []\n"))).toMatchObject({
      line: 1,
      column: 12,
      message: "the list is empty",
      expected: "a list with at least 1 item(s)",
    });
    expect(onlyError(parse(yaml("instances:", '  - name: "my prod"')))).toMatchObject({
      line: 2,
      column: 11,
      message: '"my prod" is not a valid instance name',
    });
    expect(onlyError(parse(yaml("instances:", "  - serverConf: a.xml")))).toMatchObject({
      line: 2,
      column: 5,
      message: 'missing required key "name"',
    });
  });

  it("malformed YAML", () => {
    expect(onlyError(parse("failOn: [no-path\n")).message).toMatch(/^YAML syntax error/);
  });
});

describe("policyFromObject (Probot context.config)", () => {
  it("reads a parsed object", () => {
    const policy = valueOf(
      policyFromObject({ _extends: ".github", comment: "off", instances: [{ name: "eu", providers: "eu/providers.yaml" }] }, FILE),
    );
    expect(policy).toMatchObject({ comment: "off", review: true, file: FILE });
    expect(policy.instances[0]).toMatchObject({
      name: "eu",
      providers: "eu/providers.yaml",
      explicit: { instanceConf: false, providers: true },
    });
  });

  it("null or undefined: every default", () => {
    expect(valueOf(policyFromObject(null, null)).instances).toEqual([DEFAULT_INSTANCE]);
    expect(valueOf(policyFromObject(undefined, null)).file).toBeNull();
  });

  it("errors carry line 1, column 1", () => {
    const errors = errorsOf(policyFromObject({ failOn: ["no-pth"], review: "yes" }, FILE));
    expect(errors.map((e) => [e.file, e.line, e.column])).toEqual([
      [FILE, 1, 1],
      [FILE, 1, 1],
    ]);
    expect(errors.map((e) => e.hint)).toContain('did you mean "no-path"?');
  });

  it("rejects a non-mapping", () => {
    expect(onlyError(policyFromObject(["a"], FILE))).toMatchObject({
      line: 1,
      column: 1,
      message: "expected a mapping (key: value), found a list",
    });
  });
});
