/** Invariants of a simulation report and of one side's run, shared by the pipeline fuzzers. */
import type { SideResult } from "../../../src/model/review.js";
import type { Finding } from "../../../src/model/findings.js";
import type { InstanceResult } from "../../../src/model/results.js";
import { assertPositionInside } from "./repo.js";

const isCount = (n: unknown): boolean => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

function fail(message: string, detail: unknown): never {
  throw new Error(`${message}: ${JSON.stringify(detail).slice(0, 800)}`);
}

/**
 * Counts are whole and non-negative; sent + expired = recipients per domain and per delivery. An
 * instance that is not simulated (Enhanced MTA, relay) has recipients only: every other count is null.
 */
export function checkInstanceResult(result: InstanceResult): void {
  if (!result.simulated) {
    for (const d of result.deliveries) {
      for (const v of [d, ...d.domains]) {
        if (!isCount(v.recipients)) fail("recipients is not a count", v);
        for (const key of ["sent", "deferred", "expired", "completionHours", "pacedHours"] as const)
          if (v[key] !== null) fail(`${key} is not null when not simulated`, v);
      }
    }
    return;
  }
  for (const d of result.deliveries) {
    for (const key of ["recipients", "sent", "deferred", "expired"] as const)
      if (!isCount(d[key])) fail(`delivery ${key} is not a count`, d);
    if (d.sent! + d.expired! !== d.recipients) fail("delivery: sent + expired ≠ recipients", d);
    if (d.completionHours !== null && !(Number.isFinite(d.completionHours) && d.completionHours >= 0)) fail("bad completionHours", d);
    let sum = 0;
    for (const v of d.domains) {
      for (const key of ["recipients", "sent", "deferred", "expired"] as const)
        if (!isCount(v[key])) fail(`domain ${key} is not a count`, v);
      if (v.sent! + v.expired! !== v.recipients) fail("domain: sent + expired ≠ recipients", v);
      if (v.deferred! > v.recipients) fail("domain: more deferred than recipients", v);
      sum += v.recipients;
    }
    if (sum !== d.recipients) fail("delivery recipients ≠ Σ domains", d);
  }
  for (const s of result.sites) {
    if (!(typeof s.slotCapacity === "number" && s.slotCapacity >= 0 && Number.isFinite(s.slotCapacity))) fail("bad slotCapacity", s);
    if (!(typeof s.hourlyCapacity === "number" && s.hourlyCapacity >= 0 && Number.isFinite(s.hourlyCapacity)))
      fail("bad hourlyCapacity", s);
  }
}

/** Every finding names a file, a line inside it and a message; config errors carry a column. */
export function checkFindings(findings: Finding[], files: Record<string, string | null | undefined>): void {
  for (const f of findings) {
    if (typeof f.message !== "string" || f.message === "") fail("finding without message", f);
    if (typeof f.fingerprint !== "string" || f.fingerprint === "") fail("finding without fingerprint", f);
    if (!(f.file in files)) fail("finding names a file the run did not read", f);
    assertPositionInside({ file: f.file, line: f.line, column: f.column }, files[f.file], `finding ${f.id}`);
    if (!(Number.isInteger(f.endLine) && f.endLine >= f.line)) fail("finding endLine before line", f);
    if (f.id === "config-error" && (f.column === undefined || f.column < 1)) fail("config-error without a column", f);
  }
}

export function checkRun(run: SideResult, files: Record<string, string | null | undefined>, instances: number): void {
  if (run.report.instances.length !== instances)
    fail(
      "one result per instance expected",
      run.report.instances.map((i) => i.name),
    );
  for (const result of run.report.instances) checkInstanceResult(result);
  checkFindings(run.report.findings, files);
  JSON.stringify(run.report); // the report must serialise (no cycles, no BigInt)
}
