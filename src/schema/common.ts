// Namespace import: under Bun + vitest the named `z` re-export of "zod" is undefined.
import * as z from "zod";

/** Lets a JSON file name its schema ("$schema": "…"); YAML files use a yaml-language-server comment instead. */
export const schemaRef = z.string().optional().meta({ description: "URL or path of this file's JSON Schema (for editors)." });
