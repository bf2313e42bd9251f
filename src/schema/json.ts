/** JSON Schemas for editors, generated from the zod schemas (the single source of truth). */
import * as z from "zod";
import { mxRulesFileSchema } from "./mx-rules.js";
import { policyFileSchema } from "./policy.js";
import { providersFileSchema } from "./providers.js";
import { trafficFileSchema } from "./traffic.js";

export const SCHEMA_FILES = [
  { file: "mx-rules.schema.json", schema: mxRulesFileSchema },
  { file: "traffic.schema.json", schema: trafficFileSchema },
  { file: "providers.schema.json", schema: providersFileSchema },
  { file: "mx-guard.schema.json", schema: policyFileSchema },
] as const;

export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  // The input side: what the user writes (durations as "10s", counts as "1,200"), not the parsed values.
  // draft-07 because yaml-language-server and most editors support it best.
  return z.toJSONSchema(schema, { io: "input", target: "draft-07" }) as Record<string, unknown>;
}

/** File name → text, exactly as committed under schemas/. */
export function renderSchemaFiles(): { file: string; text: string }[] {
  return SCHEMA_FILES.map(({ file, schema }) => ({ file, text: `${JSON.stringify(toJsonSchema(schema), null, 2)}\n` }));
}
