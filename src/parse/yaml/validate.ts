/** Validates a read YAML value against a zod schema; problems come back with line:column. */
import type * as z from "zod";
import { fail, ok, type Result } from "../../model/errors.js";
import { fromZodIssues } from "./issues.js";
import type { YamlSource } from "./read.js";

export function validate<S extends z.ZodType>(src: YamlSource, schema: S): Result<z.output<S>> {
  const parsed = schema.safeParse(src.value);
  if (parsed.success) return ok(parsed.data);
  return fail(sortIssues(fromZodIssues(src, schema, parsed.error.issues)));
}

/** File order, so the first message is the first problem the user meets. */
export function sortIssues<T extends { line: number; column: number }>(issues: T[]): T[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}
