import { execFile } from "node:child_process";
import { MAX_FILE_BYTES, type FileSource } from "./file-source.js";
import { decodeDocument } from "./decode.js";

/**
 * Files at a git revision, read with git itself (`git cat-file`), so no checkout is needed.
 * The revision is resolved once to a commit so both reads and messages are stable.
 */
export async function gitRevisionSource(repo: string, revision: string): Promise<FileSource> {
  const commit = (await git(repo, ["rev-parse", "--verify", "--end-of-options", `${revision}^{commit}`])).toString("utf8").trim();
  return {
    label: revision,
    async read(path: string): Promise<string | null> {
      const object = `${commit}:${path}`;
      let size: number;
      try {
        const kind = (await git(repo, ["cat-file", "-t", object])).toString("utf8").trim();
        if (kind !== "blob") return null;
        size = Number((await git(repo, ["cat-file", "-s", object])).toString("utf8").trim());
      } catch {
        return null;
      }
      if (size > MAX_FILE_BYTES) {
        // Hand the parser just enough to report the size without loading the whole blob.
        return decodeDocument(new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20), size);
      }
      return decodeDocument(await git(repo, ["cat-file", "blob", object]));
    },
  };
}

function git(repo: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile("git", ["-C", repo, ...args], { encoding: "buffer", maxBuffer: MAX_FILE_BYTES + 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = stderr.toString("utf8").trim().split("\n")[0] ?? error.message;
        reject(new Error(`git ${args[0]}: ${detail}`));
      } else resolve(stdout);
    });
  });
}
