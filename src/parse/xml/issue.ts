import type { ConfigIssue } from "../../model/errors.js";
import type { SourcePos } from "../../model/source.js";

/** Builds a ConfigIssue at a position (the position's file, line and column are copied). */
export function issueAt(pos: SourcePos, found: string, expected: string, message: string): ConfigIssue {
  return { file: pos.file, line: pos.line, column: pos.column, found, expected, message };
}
