import { MAX_FILE_BYTES } from "../limits.js";
import type { ConfigIssue } from "../../model/errors.js";
import { issueAt } from "./issue.js";

// C0 controls other than tab/LF/CR are not XML characters; U+FFFD is what a decoder leaves for bad
// UTF-8; U+FFFE/U+FFFF are non-characters. Any of them means the file is not a text XML file.
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD\uFFFE\uFFFF]/;

const count = (n: number): string => n.toLocaleString("en-US");

/** An issue when the text is larger than MAX_FILE_BYTES in UTF-8, else null. */
export function checkSize(text: string, file: string): ConfigIssue | null {
  // A UTF-16 unit takes one to three UTF-8 bytes, so short texts need no exact count.
  if (text.length * 3 <= MAX_FILE_BYTES) return null;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= MAX_FILE_BYTES) return null;
  return issueAt(
    { file, line: 1, column: 1 },
    `${count(bytes)} bytes`,
    `at most ${count(MAX_FILE_BYTES)} bytes`,
    `file is ${count(bytes)} bytes, larger than the ${count(MAX_FILE_BYTES)}-byte limit for configuration files`,
  );
}

/** Offset and description of the first character that cannot be in a text XML file, or null. */
export function findNonText(text: string): { offset: number; found: string } | null {
  const bad = NOT_TEXT.exec(text);
  if (!bad) return null;
  const code = bad[0].charCodeAt(0);
  const found = code === 0 ? "a NUL byte" : `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return { offset: bad.index, found };
}
