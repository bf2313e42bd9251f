/**
 * Turns an error into one short sentence safe to show in a check run: no stack trace, no request
 * headers, and anything shaped like a token or a key is masked.
 */
import { requestPath } from "./request-path.js";

const SECRET_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{10,}\b/g,
  /\b(?:bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g,
  /([?&](?:access_token|token|client_secret)=)[^&\s]+/gi,
];

const MAX_CAUSE = 1_000;

export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, keep: unknown) =>
      typeof keep === "string" && match.startsWith(keep) ? `${keep}[redacted]` : "[redacted]",
    );
  }
  return out;
}

interface RequestErrorLike {
  status?: unknown;
  message?: unknown;
  request?: { method?: unknown; url?: unknown };
  response?: { headers?: Record<string, unknown> };
}

/**
 * GitHub names the permission a 403 lacked in `X-Accepted-GitHub-Permissions` ("checks=write"):
 * said in words, since the fix is the installation's settings, not a retry.
 */
function missingPermission(e: RequestErrorLike): string {
  const accepted = e.response?.headers?.["x-accepted-github-permissions"];
  if (e.status !== 403 || typeof accepted !== "string" || accepted.trim() === "") return "";
  const wanted = accepted
    .split(/,\s*/)
    .map((p) => `\`${p.replace("=", ": ")}\``)
    .join(" or ");
  return ` (the App's installation lacks the ${wanted} permission: approve it in the installation's settings)`;
}

/** "GitHub answered 502 to GET /repos/o/r/pulls/2/files: Bad Gateway" or the error's message. */
export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof Error || (typeof error === "object" && error !== null)) {
    const e = error as RequestErrorLike;
    const message = typeof e.message === "string" && e.message ? e.message : String(error);
    if (typeof e.status === "number" && e.request && typeof e.request.url === "string") {
      text = `GitHub answered ${e.status} to ${String(e.request.method ?? "a request")} ${requestPath(e.request.url)}: ${message}${missingPermission(e)}`;
    } else {
      text = message;
    }
  } else {
    text = String(error);
  }
  const firstLines = text.split("\n").slice(0, 5).join("\n");
  const clean = redactSecrets(firstLines);
  return clean.length > MAX_CAUSE ? `${clean.slice(0, MAX_CAUSE)}…` : clean;
}
