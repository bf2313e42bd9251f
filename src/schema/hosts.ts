/** Syntax checks for host names, recipient domains and MX masks (lower-cased before checking). */

const LABEL = "[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?";
const HOST_RE = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

export const HOST_PATTERN = "^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$";
export const MASK_PATTERN = "^[A-Za-z0-9_.*?-]+$";

/** null when `value` is a valid host or domain name, else the reason. */
export function checkHost(value: string): string | null {
  if (value.length > 253) return "a host name has at most 253 characters";
  if (value.endsWith(".")) return `"${value}" ends with a dot; write it without the trailing dot`;
  return HOST_RE.test(value) ? null : `"${value}" is not a valid host name`;
}

/** null when `value` is a valid MX mask (host characters plus '*' and '?'), else the reason. */
export function checkMask(value: string): string | null {
  if (value.length > 253) return "a mask has at most 253 characters";
  const bad = /[^a-z0-9_.*?-]/.exec(value);
  return bad ? `"${value}" contains "${bad[0]}", which cannot appear in an MX host name` : null;
}
