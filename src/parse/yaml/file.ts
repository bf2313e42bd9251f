/** Validation of a read YAML source against a zod schema: the common step of every YAML-side parser. */
import type * as z from "zod";
import { fail, ok, type Result } from "../../model/errors.js";
import type { YamlSource } from "./read.js";
import { validate } from "./validate.js";

export interface ValidatedFile<T> {
  src: YamlSource;
  data: T;
}

export function validateSource<S extends z.ZodType>(src: YamlSource, schema: S, warnings: Result<unknown>["warnings"] = []): Result<ValidatedFile<z.output<S>>> {
  const checked = validate(src, schema);
  if (!checked.ok) return fail(checked.errors, warnings);
  return ok({ src, data: checked.value }, warnings);
}
