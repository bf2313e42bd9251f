/** Read + validate in one step: the common start of every YAML-side parser. */
import type * as z from "zod";
import { fail, ok, type Result } from "../../model/errors.js";
import { readYaml, type YamlSource } from "./read.js";
import { validate } from "./validate.js";

export interface ValidatedFile<T> {
  src: YamlSource;
  data: T;
}

export function readValidated<S extends z.ZodType>(text: string, file: string, schema: S): Result<ValidatedFile<z.output<S>>> {
  const read = readYaml(text, file);
  if (!read.ok) return read;
  return validateSource(read.value, schema, read.warnings);
}

export function validateSource<S extends z.ZodType>(src: YamlSource, schema: S, warnings: Result<unknown>["warnings"] = []): Result<ValidatedFile<z.output<S>>> {
  const checked = validate(src, schema);
  if (!checked.ok) return fail(checked.errors, warnings);
  return ok({ src, data: checked.value }, warnings);
}
