import { createHash } from "node:crypto";

/**
 * A finding's identity across edits: the finding id, the instance and its semantic subject (a rule's
 * mask and range, a delivery's name, a domain, an IP address) — never a line number, so a rule moved
 * two lines down keeps its fingerprint. Parts are lower-cased where case carries no meaning upstream.
 */
export function fingerprint(id: string, instance: string, ...subject: (string | number | null)[]): string {
  const key = [id, instance, ...subject.map((part) => (part === null ? "" : String(part)))].join("\u0000");
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}
