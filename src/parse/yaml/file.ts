/** Validation of a read YAML source against a zod schema: the common step of every YAML-side parser. */
import type * as z from "zod";
import { fail, ok, type Result } from "../../model/errors.js";
import type { KeyBounds } from "./key-bounds.js";
import { readYamlDetailed, type YamlSource } from "./read.js";
import { sortIssues, validate } from "./validate.js";

export interface ValidatedFile<T> {
  src: YamlSource;
  data: T;
}

export function validateSource<S extends z.ZodType>(
  src: YamlSource,
  schema: S,
  warnings: Result<unknown>["warnings"] = [],
): Result<ValidatedFile<z.output<S>>> {
  const checked = validate(src, schema);
  if (!checked.ok) return fail(checked.errors, warnings);
  return ok({ src, data: checked.value }, warnings);
}

/**
 * Reads a YAML file; with a schema, a file with a syntax error still has the lines above the error
 * validated (read on their own, so nothing the parser recovered after the error leaks in), and a
 * misspelt key there is reported in the same run. Missing keys are not reported: they may be
 * written after the error.
 */
export function readYamlFile(text: string, file: string, schema?: z.ZodType, bounds?: KeyBounds): Result<YamlSource> {
  const { result, partial } = readYamlDetailed(text, file, bounds);
  if (result.ok || !schema || !partial) return result;
  const cause = result.errors[0]!;
  const above = partial.text
    .split("\n")
    .slice(0, cause.line - 1)
    .join("\n");
  const prefix = readYamlDetailed(above, file, bounds).result;
  if (!prefix.ok || prefix.value.value === null || prefix.value.value === undefined) return result;
  const checked = validate(prefix.value, schema);
  const before = checked.ok
    ? []
    : checked.errors.filter(
        (issue) => issue.line < cause.line && issue.found !== "nothing" && !/^the (file|list) is empty$/.test(issue.message),
      );
  return fail(sortIssues([...before, ...result.errors]), result.warnings);
}
