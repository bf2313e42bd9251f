/**
 * Where configuration files come from: a directory, a git revision, or files fetched from GitHub.
 * The core never reads files itself; the shell hands it a FileMap.
 */

export type { FileMap } from "../model/source.js";

export interface FileSource {
  /** Shown in messages, e.g. "examples/campaign-repo" or "origin/main". */
  readonly label: string;
  /** The file's text, or null when it does not exist. Throws only on I/O failure. */
  read(path: string): Promise<string | null>;
}

/** The parsers' size cap, re-exported for the readers (they stop reading just past it). */
export { MAX_FILE_BYTES } from "../engine/index.js";
