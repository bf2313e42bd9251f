/** Check run annotations: one per head finding (new and worsened first), sized for GitHub's limits. */
import type { CheckAnnotation } from "./channels.js";
import type { Review } from "../model/review.js";
import type { ReviewedFinding } from "../model/findings.js";
import { magnitudeChange } from "./findings-list.js";
import { MAX_ANNOTATION_BYTES, MAX_TITLE_CHARS, truncateChars, truncateUtf8 } from "./truncate.js";

/** GitHub accepts 50 annotations per request: split a list into chunks of `size`. */
export function batches<T>(list: readonly T[], size = 50): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function rawDetails(finding: ReviewedFinding): string {
  const full = {
    id: finding.id,
    status: finding.status,
    instance: finding.instance,
    fingerprint: finding.fingerprint,
    ...(finding.magnitude ? { magnitude: finding.magnitude } : {}),
    ...(finding.baseMagnitude ? { baseMagnitude: finding.baseMagnitude } : {}),
    ...(finding.details ? { details: finding.details } : {}),
  };
  const json = JSON.stringify(full, null, 2);
  if (Buffer.byteLength(json, "utf8") <= MAX_ANNOTATION_BYTES) return json;
  // Too large: keep the identity, drop the details (truncated JSON would not parse).
  const { details: _dropped, ...rest } = full as typeof full & { details?: unknown };
  return JSON.stringify({ ...rest, detailsOmitted: "larger than 64 KB" }, null, 2);
}

export function annotationFor(finding: ReviewedFinding): CheckAnnotation {
  const change = finding.status === "worsened" ? magnitudeChange(finding.baseMagnitude, finding.magnitude) : "";
  const status = change ? `${finding.status}: ${change}` : finding.status;
  const line = Math.max(1, finding.line);
  return {
    path: finding.file,
    start_line: line,
    end_line: Math.max(line, finding.endLine),
    annotation_level: finding.severity,
    title: truncateChars(`${finding.id} (${finding.status}): ${finding.title}`, MAX_TITLE_CHARS),
    message: truncateUtf8(`[${finding.instance}] ${finding.message} (${status})`, MAX_ANNOTATION_BYTES),
    raw_details: rawDetails(finding),
  };
}

const ORDER = { new: 0, worsened: 1, existing: 2, fixed: 3 } as const;

/** Every head finding with a file (fixed ones are base lines and are left out), new/worsened first. */
export function renderAnnotations(review: Review): CheckAnnotation[] {
  return review.findings
    .filter((finding) => finding.status !== "fixed" && finding.file !== "")
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => ORDER[a.finding.status] - ORDER[b.finding.status] || a.index - b.index)
    .map(({ finding }) => annotationFor(finding));
}
