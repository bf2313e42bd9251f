/**
 * A hand-written Engine for the shell's tests. Its "simulation" reads markers in the file texts:
 * a line containing `# finding <fingerprint>` is a failure finding on that line; `start=<n>`
 * makes it span lines n..that line, and `fix` gives it a suggestion. Everything else is production
 * code: the watched paths, the base/head comparison and the verdict; only the check output and the
 * sticky comment are the fake's own short texts, so the tests can read them. Every side is recorded.
 */
import { watchedPaths, type Engine, type ReviewResult } from "../../../src/engine/index.js";
import type { Policy } from "../../../src/model/config.js";
import { isChange, type Finding } from "../../../src/model/findings.js";
import type { ReviewComment } from "../../../src/model/outputs.js";
import type { Review } from "../../../src/model/review.js";
import type { FileMap } from "../../../src/model/source.js";
import { STICKY_MARKER } from "../../../src/render/sticky-comment.js";
import { compareFindings } from "../../../src/review/compare.js";
import { isBlocking, verdict } from "../../../src/review/verdict.js";

export const SUGGESTION = "    messagesPerHour: 60000";

export interface FakeEngine extends Engine {
  sides: FileMap[];
  /** Where reviewChange throws: before simulating, after comparing, or while rendering. */
  throwIn?: "simulate" | "review" | "render";
  error?: Error;
}

const MARKER = /#\s*finding\s+(\S+)(?:\s+start=(\d+))?(\s+fix)?/;

function findingsOf(files: FileMap): Finding[] {
  const findings: Finding[] = [];
  for (const [path, text] of Object.entries(files)) {
    if (text === null) continue;
    text.split("\n").forEach((lineText, index) => {
      const match = MARKER.exec(lineText);
      if (!match) return;
      const line = index + 1;
      const fingerprint = match[1] ?? "";
      findings.push({
        id: "deadline-miss",
        severity: "failure",
        instance: "prod",
        file: path,
        line: match[2] ? Number(match[2]) : line,
        endLine: line,
        message: `Fake finding ${fingerprint} in ${path}.`,
        fingerprint,
        title: `Deadline missed (${fingerprint})`,
        ...(match[3] ? { suggestion: SUGGESTION } : {}),
      });
    });
  }
  return findings;
}

function side(files: FileMap) {
  return { report: { version: 1 as const, instances: [], findings: findingsOf(files) }, models: [], files: { ...files } };
}

function comments(review: Review): ReviewComment[] {
  return review.findings.filter(isChange).map((f) => ({
    anchor: { path: f.file, line: f.endLine, ...(f.line !== f.endLine ? { startLine: f.line } : {}) },
    fingerprint: f.fingerprint,
    prose: `**${f.title}** ${f.message}`,
    ...(f.suggestion ? { suggestion: { text: f.suggestion, replaces: null } } : {}),
  }));
}

export function createFakeEngine(): FakeEngine {
  const fail = (stage: FakeEngine["throwIn"]) => {
    if (engine.throwIn === stage) throw engine.error ?? new Error("fake engine failure");
  };
  const engine: FakeEngine = {
    sides: [],
    watchedPaths,
    reviewChange(baseFiles: FileMap, headFiles: FileMap, policy: Policy): ReviewResult {
      engine.sides.push(baseFiles, headFiles);
      fail("simulate");
      const base = side(baseFiles);
      const head = side(headFiles);
      const findings = compareFindings(base.report.findings, head.report.findings);
      const review: Review = { conclusion: verdict(findings, policy), findings, base, head, policy };
      fail("review");
      fail("render");
      const open = findings.filter((f) => f.status !== "fixed");
      return {
        review,
        conclusion: review.conclusion,
        counts: {
          new: findings.filter((f) => f.status === "new").length,
          worsened: findings.filter((f) => f.status === "worsened").length,
          existing: findings.filter((f) => f.status === "existing").length,
          fixed: findings.filter((f) => f.status === "fixed").length,
          blocking: findings.filter((f) => isBlocking(f, policy)).length,
        },
        check: {
          title: review.conclusion === "failure" ? `MX Guard: ${open.length} problem(s)` : "MX Guard: no new problem",
          summary: ["| finding | status |", "|---|---|", ...findings.map((f) => `| ${f.fingerprint} | ${f.status} |`)].join("\n"),
        },
        annotations: open.map((f) => ({
          path: f.file,
          start_line: f.line,
          end_line: f.endLine,
          annotation_level: f.severity,
          title: f.title,
          message: f.message,
        })),
        comments: comments(review),
        sticky: [STICKY_MARKER, `## MX Guard: ${review.conclusion}`, ...findings.map((f) => `- ${f.fingerprint}: ${f.status}`)].join("\n"),
      };
    },
  };
  return engine;
}
