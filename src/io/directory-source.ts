import { open } from "node:fs/promises";
import { isAbsolute, join, normalize, sep } from "node:path";
import { MAX_FILE_BYTES, type FileSource } from "./file-source.js";
import { decodeDocument } from "./decode.js";

/** Files of a working directory. Paths outside the directory are refused. */
export function directorySource(root: string): FileSource {
  return {
    label: root,
    async read(path: string): Promise<string | null> {
      const relative = normalize(path);
      if (isAbsolute(relative) || relative === ".." || relative.startsWith(`..${sep}`)) {
        throw new Error(`${path}: refusing to read outside ${root}`);
      }
      // biome-ignore lint/suspicious/noImplicitAnyLet: TypeScript types it from the open() assigned in the try block
      let handle;
      try {
        handle = await open(join(root, relative), "r");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") return null;
        throw error;
      }
      try {
        const info = await handle.stat();
        if (info.isDirectory()) return null;
        // Read at most one byte past the cap so an oversized file is reported, not loaded.
        const buffer = Buffer.alloc(Math.min(info.size, MAX_FILE_BYTES + 1));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        return decodeDocument(buffer.subarray(0, bytesRead), info.size);
      } finally {
        await handle.close();
      }
    },
  };
}
