/**
 * Follows a value path through a zod schema to list the keys a mapping accepts there
 * (for "unknown key … did you mean" messages).
 */
import type * as z from "zod";
import type { YamlPath } from "./positions.js";

interface LooseDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
}

function defOf(schema: z.ZodType): LooseDef {
  return schema._zod.def as unknown as LooseDef;
}

/** Strips wrappers (optional, default, pipe…) down to the schema that describes the value's shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (!inner) return current;
    current = inner;
  }
  return current;
}

function child(schema: z.ZodType, segment: string | number): z.ZodType | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === "object") return def.shape?.[String(segment)];
  if (def.type === "array") return def.element;
  if (def.type === "record") return def.valueType;
  return undefined;
}

export function knownKeys(schema: z.ZodType, path: YamlPath): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    if (!current) return [];
    current = child(current, segment);
  }
  if (!current) return [];
  const def = defOf(unwrap(current));
  return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
}
