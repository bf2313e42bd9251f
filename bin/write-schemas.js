#!/usr/bin/env node
// Writes schemas/*.schema.json from the zod schemas (run after `npm run build`).
// test/parse/schema.test.ts fails when the committed files differ from what this writes.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderSchemaFiles } from "../lib/schema/index.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas");
mkdirSync(dir, { recursive: true });
for (const { file, text } of renderSchemaFiles()) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote schemas/${file}`);
}
