import { MX_GUARD_VERSION } from "../../src/model/version.js";
import { describe, expect, it } from "vitest";
import { renderSarif, type SarifLog } from "../../src/render/sarif.js";
import { FINDING_IDS } from "../../src/model/findings.js";
import { finding, instance, report } from "../fixtures/review/build.js";
import { failureReview } from "../fixtures/review/scenarios.js";
import { expectGolden } from "./golden.js";

type Json = Record<string, unknown>;

/** The required properties and value constraints of SARIF 2.1.0 that mx-guard's output touches. */
function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  const need = (cond: boolean, what: string) => {
    if (!cond) problems.push(what);
  };
  const obj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
  const message = (m: unknown, where: string) =>
    need(obj(m) && (typeof m["text"] === "string" || typeof m["id"] === "string"), `${where}: message needs text or id`);
  if (!obj(log)) return ["log is not an object"];
  need(log["version"] === "2.1.0", "version must be 2.1.0");
  need(typeof log["$schema"] === "string" && /sarif-2\.1\.0/.test(log["$schema"] as string), "$schema names SARIF 2.1.0");
  const runs = log["runs"];
  need(Array.isArray(runs), "runs must be an array");
  for (const [r, run] of (Array.isArray(runs) ? runs : []).entries()) {
    if (!obj(run)) {
      problems.push(`runs[${r}] is not an object`);
      continue;
    }
    const driver = obj(run["tool"]) ? (run["tool"] as Json)["driver"] : undefined;
    need(obj(driver) && typeof driver["name"] === "string", `runs[${r}].tool.driver.name is required`);
    const rules = obj(driver) && Array.isArray(driver["rules"]) ? (driver["rules"] as unknown[]) : [];
    const ids = new Set<string>();
    for (const [i, rule] of rules.entries()) {
      need(obj(rule) && typeof rule["id"] === "string", `rules[${i}].id is required`);
      if (obj(rule)) {
        need(!ids.has(rule["id"] as string), `rules[${i}].id is duplicated`);
        ids.add(rule["id"] as string);
        for (const key of ["shortDescription", "fullDescription", "help"]) {
          if (key in rule) message(rule[key], `rules[${i}].${key}`);
        }
        const level = obj(rule["defaultConfiguration"]) ? (rule["defaultConfiguration"] as Json)["level"] : "warning";
        need(["none", "note", "warning", "error"].includes(level as string), `rules[${i}] default level`);
      }
    }
    const results = run["results"];
    need(Array.isArray(results), `runs[${r}].results must be an array`);
    for (const [i, result] of (Array.isArray(results) ? results : []).entries()) {
      if (!obj(result)) {
        problems.push(`results[${i}] is not an object`);
        continue;
      }
      message(result["message"], `results[${i}]`);
      need(result["ruleId"] === undefined || ids.has(result["ruleId"] as string), `results[${i}].ruleId names a rule`);
      if (typeof result["ruleIndex"] === "number")
        need(
          rules[result["ruleIndex"]] !== undefined && (rules[result["ruleIndex"]] as Json)["id"] === result["ruleId"],
          `results[${i}].ruleIndex matches ruleId`,
        );
      need(["none", "note", "warning", "error", undefined].includes(result["level"] as string | undefined), `results[${i}].level`);
      need(
        ["new", "unchanged", "updated", "absent", undefined].includes(result["baselineState"] as string | undefined),
        `results[${i}].baselineState`,
      );
      for (const [l, loc] of (Array.isArray(result["locations"]) ? (result["locations"] as unknown[]) : []).entries()) {
        const phys = obj(loc) ? loc["physicalLocation"] : undefined;
        if (!obj(phys)) continue;
        const art = phys["artifactLocation"];
        need(obj(art) && typeof art["uri"] === "string" && !/[\s\\]/.test(art["uri"] as string), `results[${i}].locations[${l}] uri`);
        const region = phys["region"];
        if (obj(region)) {
          need(Number.isInteger(region["startLine"]) && (region["startLine"] as number) >= 1, `results[${i}] startLine ≥ 1`);
          need(
            region["endLine"] === undefined || (region["endLine"] as number) >= (region["startLine"] as number),
            `results[${i}] endLine ≥ startLine`,
          );
        }
      }
      const fps = result["partialFingerprints"];
      need(
        fps === undefined || (obj(fps) && Object.values(fps).every((v) => typeof v === "string")),
        `results[${i}].partialFingerprints are strings`,
      );
    }
  }
  return problems;
}

describe("renderSarif", () => {
  it("matches the golden file", () => {
    expectGolden("sarif.failure.json", `${JSON.stringify(renderSarif(failureReview()), null, 2)}\n`);
  });

  it("is valid SARIF 2.1.0 for a review and for a plain report", () => {
    expect(sarifProblems(renderSarif(failureReview()))).toEqual([]);
    const plain = report(
      [instance("prod", [])],
      [finding("no-rule", "x", { file: "campaign/my rules.yaml", line: 3, endLine: 5 }), finding("config-error", "y", { line: 0 })],
    );
    const log = renderSarif(plain);
    expect(sarifProblems(log)).toEqual([]);
    const results = log.runs[0]!.results as unknown as Json[];
    // Findings in report order, as every other format shows them: the failure first.
    expect(results.map((result) => result["ruleId"])).toEqual(["config-error", "no-rule"]);
    expect(JSON.stringify(results[1])).toContain("campaign/my%20rules.yaml");
    expect(results[0]!["locations"]).toEqual([
      { physicalLocation: { artifactLocation: { uri: "campaign/mx-rules.yaml", uriBaseId: "%SRCROOT%" } } },
    ]);
    expect(results[1]!["baselineState"]).toBeUndefined();
    expect(log.runs[0]!.tool.driver.version).toBe(MX_GUARD_VERSION);
  });

  it("the checker catches broken logs", () => {
    const log = JSON.parse(JSON.stringify(renderSarif(failureReview()))) as SarifLog & { runs: { results: Json[] }[] };
    log.runs[0]!.results[0]!["ruleId"] = "nope";
    (log.runs[0]!.results[1]!["message"] as Json)["text"] = 3;
    expect(sarifProblems(log)).toEqual([
      "results[0].ruleId names a rule",
      "results[0].ruleIndex matches ruleId",
      "results[1]: message needs text or id",
    ]);
    expect(sarifProblems({ version: "2.0.0", runs: [] })).toContain("version must be 2.1.0");
  });

  it("has stable rules (every finding id, in order), levels, fingerprints and baseline states", () => {
    const review = failureReview();
    const log = renderSarif(review);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe("mx-guard");
    expect((run.tool.driver.rules as unknown as Json[]).map((r) => r["id"])).toEqual(FINDING_IDS);
    const results = run.results as unknown as Json[];
    const head = review.findings.filter((f) => f.status !== "fixed");
    expect(results.map((r) => (r["partialFingerprints"] as Json)["mxGuard/v1"])).toEqual(head.map((f) => f.fingerprint));
    expect(results.map((r) => r["baselineState"])).toEqual(
      head.map((f) => ({ new: "new", worsened: "updated", existing: "unchanged" })[f.status as "new"]),
    );
    expect(results.map((r) => r["level"])).toEqual(head.map((f) => ({ failure: "error", warning: "warning", notice: "note" })[f.severity]));
    const region = ((results[0]!["locations"] as Json[])[0]!["physicalLocation"] as Json)["region"];
    expect(region).toEqual({ startLine: 4, endLine: 12 });
  });
});
