/**
 * Every string that reaches the HTML report goes through `html()`: names and messages come from
 * the repository's files, so they must never open a tag, an attribute or a script.
 */
import { INVISIBLE } from "../format.js";

/** Text for an element body or a double-quoted attribute value. */
export function html(text: string): string {
  return text
    .replace(INVISIBLE, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
