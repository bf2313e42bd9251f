/**
 * Where configuration files come from: a directory, a git revision, or files fetched from GitHub.
 * The core never reads files itself; the shell hands it a FileMap.
 */

/** Repository-relative path → file text, or null when the file does not exist at that revision. */
export type FileMap = Record<string, string | null>;

export interface FileSource {
  /** Shown in messages, e.g. "examples/campaign-repo" or "origin/main". */
  readonly label: string;
  /** The file's text, or null when it does not exist. Throws only on I/O failure. */
  read(path: string): Promise<string | null>;
}

/** Largest configuration file mx-guard reads (bytes). Campaign files are kilobytes; this bounds hostile input. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
