/**
 * Writes schemas/*.schema.json straight from the TypeScript sources, without a build:
 *   ./node_modules/.bin/bun src/schema/write.ts
 * (bin/write-schemas.js does the same from the compiled lib/.)
 */
import { writeFileSync } from "node:fs";
import { renderSchemaFiles } from "./json.js";

export function writeSchemaFiles(dir: string): string[] {
  return renderSchemaFiles().map(({ file, text }) => {
    writeFileSync(`${dir}/${file}`, text);
    return file;
  });
}

const isMain = (import.meta as { main?: boolean }).main === true;
if (isMain) for (const file of writeSchemaFiles(new URL("../../schemas", import.meta.url).pathname)) console.log(`wrote schemas/${file}`);
