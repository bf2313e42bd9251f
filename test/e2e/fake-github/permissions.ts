/**
 * Installation token permissions, enforced as GitHub does: a request the token's permissions do not
 * cover is answered 403 "Resource not accessible by integration", with the permission that would
 * have allowed it in `X-Accepted-GitHub-Permissions`; in GraphQL, a FORBIDDEN error on the field.
 * An installation is granted what app.yml asks for (default_permissions) unless a test says
 * otherwise, so dropping a permission from app.yml breaks the end-to-end suite.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { HttpError } from "./http.js";

export type Level = "read" | "write";
export type Permissions = Record<string, Level>;
/** Any one of these grants the request (e.g. issues: write or pull_requests: write on a PR comment). */
export type Requirement = readonly (readonly [string, Level])[];

const APP_YML = resolve(import.meta.dirname, "../../../app.yml");

/** The permissions app.yml registers the App with. */
export function appYmlPermissions(): Permissions {
  const manifest = parse(readFileSync(APP_YML, "utf8")) as { default_permissions?: Record<string, string> };
  const out: Permissions = {};
  for (const [name, level] of Object.entries(manifest.default_permissions ?? {})) {
    if (level === "read" || level === "write") out[name] = level;
  }
  return out;
}

export function allows(granted: Permissions, requirement: Requirement): boolean {
  return requirement.some(([name, level]) => granted[name] === "write" || (level === "read" && granted[name] === "read"));
}

export const NOT_ACCESSIBLE = "Resource not accessible by integration";

function accepted(requirement: Requirement): string {
  return requirement.map(([name, level]) => `${name}=${level}`).join(", ");
}

export function requirePermission(granted: Permissions, requirement: Requirement): void {
  if (allows(granted, requirement)) return;
  throw new HttpError(
    403,
    NOT_ACCESSIBLE,
    { documentation_url: "https://docs.github.com/rest/overview/permissions-required-for-github-apps", status: "403" },
    { "x-accepted-github-permissions": accepted(requirement) },
  );
}

/** `requested` narrowed to what the installation has; null when it asks for more (GitHub: 422). */
export function narrow(granted: Permissions, requested: unknown): Permissions | null {
  if (requested === undefined || requested === null) return { ...granted };
  if (typeof requested !== "object") return null;
  const out: Permissions = {};
  for (const [name, level] of Object.entries(requested as Record<string, unknown>)) {
    if ((level !== "read" && level !== "write") || !allows(granted, [[name, level]])) return null;
    out[name] = level;
  }
  return out;
}
