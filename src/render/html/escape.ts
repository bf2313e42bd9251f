/**
 * Every string that reaches the HTML report goes through `html()`: names and messages come from
 * the repository's files, so they must never open a tag, an attribute or a script.
 */

/** Text for an element body or a double-quoted attribute value. */
export function html(text: string): string {
  return (
    text
      // Control characters and bidirectional overrides: invisible, and able to make a line read differently.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;")
  );
}
