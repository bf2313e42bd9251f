/**
 * Campaign files at the base and head commits, for both sides in one GraphQL request: one aliased
 * `object(expression: "<sha>:<path>")` per path and side. A path missing at a commit comes back
 * null. GraphQL cuts `text` at 512,000 bytes (`isTruncated`); such files are read again through the
 * REST blobs API with the raw media type.
 */
import { decodeDocument } from "../io/decode.js";
import { MAX_FILE_BYTES, type FileMap } from "../io/file-source.js";
import type { GitHub } from "./types.js";

export interface BlobNode {
  oid: string;
  text: string | null;
  isTruncated: boolean;
  isBinary: boolean | null;
  byteSize: number;
}

/** The fields read for each file (an inline fragment: a path may also name a tree or nothing). */
export const BLOB_FIELDS = "... on Blob { oid text isTruncated isBinary byteSize }";

/** Query pieces for the blobs: variable declarations, values and aliased selections. */
export interface BlobQueryParts {
  variableDefs: string[];
  variables: Record<string, string>;
  selections: string[];
}

/** Alias of `paths[index]` on one side: b0, b1… at the base, h0, h1… at the head. */
export function blobAlias(side: "base" | "head", index: number): string {
  return `${side === "base" ? "b" : "h"}${index}`;
}

export function blobQueryParts(paths: string[], baseSha: string, headSha: string): BlobQueryParts {
  const parts: BlobQueryParts = { variableDefs: [], variables: {}, selections: [] };
  paths.forEach((path, index) => {
    for (const [side, sha] of [
      ["base", baseSha],
      ["head", headSha],
    ] as const) {
      const alias = blobAlias(side, index);
      // Expressions travel as variables: a path never becomes part of the query text.
      parts.variableDefs.push(`$${alias}: String!`);
      parts.variables[alias] = `${sha}:${path}`;
      parts.selections.push(`${alias}: object(expression: $${alias}) { ${BLOB_FIELDS} }`);
    }
  });
  return parts;
}

export interface SideFiles {
  base: FileMap;
  head: FileMap;
  /** Blob id of each watched path per side (null: no file there), to tell which paths changed. */
  oids: { base: Record<string, string | null>; head: Record<string, string | null> };
}

/**
 * The watched paths whose blob differs between base and head (added, removed or modified). Decided
 * from the blob ids, never from the pull request's file list, which GitHub cuts at 3,000 files.
 */
export function changedPaths(files: SideFiles, paths: string[]): string[] {
  return paths.filter((path) => (files.oids.base[path] ?? null) !== (files.oids.head[path] ?? null));
}

/** Turns the aliased blobs of a query answer into the two FileMaps, reading truncated blobs again. */
export async function blobsToFiles(
  gh: GitHub,
  paths: string[],
  repository: Record<string, unknown>,
  shas: { base: string; head: string },
): Promise<SideFiles> {
  const files: SideFiles = { base: {}, head: {}, oids: { base: {}, head: {} } };
  for (const [index, path] of paths.entries()) {
    for (const side of ["base", "head"] as const) {
      const node = (repository[blobAlias(side, index)] ?? null) as BlobNode | null;
      files.oids[side][path] = node !== null && typeof node.oid === "string" ? node.oid : null;
      files[side][path] = await blobText(gh, node, `${path} at ${shas[side].slice(0, 7)}`);
    }
  }
  return files;
}

async function blobText(gh: GitHub, node: BlobNode | null, label: string): Promise<string | null> {
  // null: no such path at that commit; a node without oid: the path names a directory or submodule.
  if (node === null || typeof node.oid !== "string") return null;
  if (node.byteSize > MAX_FILE_BYTES) {
    throw new Error(`${label} is ${node.byteSize} bytes; MX Guard reads configuration files up to ${MAX_FILE_BYTES} bytes`);
  }
  if (node.isBinary === true) {
    // GitHub calls UTF-16 text binary; with a byte-order mark it is a readable XML file.
    const bytes = await fetchBlobBytes(gh, node.oid);
    if (!hasUtf16Bom(bytes)) throw new Error(`${label} is a binary file, not a text configuration file`);
    return decodeDocument(bytes);
  }
  const text = !node.isTruncated && typeof node.text === "string" ? node.text : await fetchRawBlob(gh, node.oid);
  // GitHub's text is UTF-8 with replacement characters where the bytes were not; an XML file may
  // declare ISO-8859-1 or windows-1252, so such a file is decoded again from its bytes.
  return text.includes("\uFFFD") ? decodeDocument(await fetchBlobBytes(gh, node.oid)) : text;
}

const hasUtf16Bom = (b: Uint8Array): boolean => (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);

/** A blob's bytes through REST (the default JSON answer, base64). */
export async function fetchBlobBytes(gh: GitHub, oid: string): Promise<Uint8Array> {
  const response = await gh.octokit.rest.git.getBlob({ owner: gh.owner, repo: gh.repo, file_sha: oid });
  const data = response.data as { content?: unknown; encoding?: unknown };
  if (typeof data.content !== "string" || data.encoding !== "base64")
    throw new Error(`unexpected answer for blob ${oid}: no base64 content`);
  return new Uint8Array(Buffer.from(data.content, "base64"));
}

/** The full text of a blob through REST (`application/vnd.github.raw+json`), up to 100 MB. */
export async function fetchRawBlob(gh: GitHub, oid: string): Promise<string> {
  const response = await gh.octokit.rest.git.getBlob({
    owner: gh.owner,
    repo: gh.repo,
    file_sha: oid,
    mediaType: { format: "raw" },
  });
  const data: unknown = response.data;
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return decodeDocument(new Uint8Array(data));
  if (ArrayBuffer.isView(data)) return decodeDocument(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  throw new Error(`unexpected answer for blob ${oid}: ${typeof data}`);
}
