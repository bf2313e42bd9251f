import { constants } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, normalize, relative as relativePath, resolve, sep } from "node:path";
import { MAX_FILE_BYTES, type FileSource } from "./file-source.js";
import { decodeDocument } from "./decode.js";

/**
 * Files of a working directory (a checked-out pull request, so its contents are untrusted). Only
 * regular files inside the directory are read: a path that leaves it, a symbolic link that points
 * outside it, and anything that is not a regular file (a FIFO would block forever, a device could
 * leak) are refused with an error; a missing path or a directory reads as "no file".
 */
export function directorySource(root: string): FileSource {
  let realRoot: Promise<string> | null = null;
  return {
    label: root,
    async read(path: string): Promise<string | null> {
      const relative = normalize(path);
      if (isAbsolute(relative) || relative === ".." || relative.startsWith(`..${sep}`)) {
        throw new Error(`${path}: refusing to read outside ${root}`);
      }
      realRoot ??= realpath(root);
      const base = await realRoot;
      let real: string;
      try {
        real = await realpath(join(root, relative));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Missing, or a link to nothing: nothing can be read, so "no file".
        if (code === "ENOENT" || code === "ENOTDIR") return null;
        throw error;
      }
      const inside = relativePath(base, real);
      if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
        throw new Error(`${path}: refusing to read a symbolic link that points outside ${root}`);
      }
      return readRegularFile(real, path);
    },
  };
}

/** A file the user named on the command line (`--config`): any location, still a regular file only. */
export function explicitFileSource(): FileSource {
  return {
    label: "the command line",
    read: (path: string) => directorySource(dirname(resolve(path))).read(basename(resolve(path))),
  };
}

async function readRegularFile(real: string, shown: string): Promise<string | null> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: TypeScript types it from the open() assigned in the try block
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the resolved path is final.
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    if (code === "ELOOP") throw new Error(`${shown}: refusing to follow a symbolic link`);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return null;
    if (!info.isFile()) {
      const kind = info.isFIFO()
        ? "a FIFO (named pipe)"
        : info.isSocket()
          ? "a socket"
          : info.isCharacterDevice() || info.isBlockDevice()
            ? "a device"
            : "not a regular file";
      throw new Error(`${shown}: refusing to read ${kind}; configuration files must be regular files`);
    }
    // Read at most one byte past the cap so an oversized file is reported, not loaded.
    const buffer = Buffer.alloc(Math.min(info.size, MAX_FILE_BYTES + 1));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return decodeDocument(buffer.subarray(0, bytesRead), info.size);
  } finally {
    await handle.close();
  }
}
