/**
 * A hand-written Engine for the shell's tests. Its "simulation" reads markers in the file texts:
 * a line containing `# finding <fingerprint>` is a failure finding on that line; `start=<n>`
 * makes it span lines n..that line, and `fix` gives it a suggestion. Base and head are compared
 * by fingerprint, like the real review. Every call is recorded.
 */
import { STICKY_MARKER, type AnchoredComment, type CheckAnnotation, type Engine } from "../../../src/engine/api.js";
import type { Review, Run } from "../../../src/engine/types.js";
import type { FileMap } from "../../../src/io/file-source.js";
import type { Policy } from "../../../src/model/config.js";
import type { Finding, ReviewedFinding } from "../../../src/model/findings.js";

export const SUGGESTION = "    messagesPerHour: 60000";

export interface FakeEngine extends Engine {
  sides: FileMap[];
  throwIn?: "runSide" | "review" | "render";
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

export function createFakeEngine(): FakeEngine {
  const engine: FakeEngine = {
    sides: [],
    watchedPaths(policy: Policy): string[] {
      const paths = new Set<string>();
      for (const i of policy.instances) {
        for (const p of [i.serverConf, i.instanceConf, i.mxRules, i.traffic, i.providers]) if (p) paths.add(p);
      }
      return [...paths].sort();
    },
    runSide(files: FileMap, _policy: Policy): Run {
      engine.sides.push(files);
      if (engine.throwIn === "runSide") throw engine.error ?? new Error("fake engine failure");
      return { report: { version: 1, instances: [], findings: findingsOf(files) }, models: [], files: { ...files } };
    },
    review(base: Run, head: Run, policy: Policy): Review {
      if (engine.throwIn === "review") throw engine.error ?? new Error("fake engine failure");
      const baseFps = new Set(base.report.findings.map((f) => f.fingerprint));
      const headFps = new Set(head.report.findings.map((f) => f.fingerprint));
      const findings: ReviewedFinding[] = [
        ...head.report.findings.map((f): ReviewedFinding => ({ ...f, status: baseFps.has(f.fingerprint) ? "existing" : "new" })),
        ...base.report.findings.filter((f) => !headFps.has(f.fingerprint)).map((f): ReviewedFinding => ({ ...f, status: "fixed" })),
      ];
      const failing = findings.some((f) => f.status === "new" && policy.failOn.includes(f.id));
      return { conclusion: failing ? "failure" : "success", findings, base, head, policy };
    },
    renderCheckOutput(review: Review) {
      if (engine.throwIn === "render") throw engine.error ?? new Error("fake engine failure");
      const open = review.findings.filter((f) => f.status !== "fixed");
      return {
        title: review.conclusion === "failure" ? `MX Guard: ${open.length} problem(s)` : "MX Guard: no new problem",
        summary: ["| finding | status |", "|---|---|", ...review.findings.map((f) => `| ${f.fingerprint} | ${f.status} |`)].join("\n"),
      };
    },
    renderStickyComment(review: Review): string {
      const lines = review.findings.map((f) => `- ${f.fingerprint}: ${f.status}`);
      return [STICKY_MARKER, `## MX Guard: ${review.conclusion}`, ...lines].join("\n");
    },
    renderReviewComments(review: Review): AnchoredComment[] {
      return review.findings
        .filter((f) => f.status === "new" || f.status === "worsened")
        .map((f) => ({
          path: f.file,
          line: f.endLine,
          ...(f.line !== f.endLine ? { startLine: f.line } : {}),
          body: `**${f.title}** ${f.message}${f.suggestion ? `\n\n\`\`\`suggestion\n${f.suggestion}\n\`\`\`` : ""}`,
          fingerprint: f.fingerprint,
        }));
    },
    renderAnnotations(review: Review): CheckAnnotation[] {
      return review.findings
        .filter((f) => f.status !== "fixed")
        .map((f) => ({
          path: f.file,
          start_line: f.line,
          end_line: f.endLine,
          annotation_level: f.severity,
          title: f.title,
          message: f.message,
        }));
    },
  };
  return engine;
}
