import { MAX_FILE_BYTES } from "./file-source.js";

/**
 * Bytes → text for the parsers. Oversized files are cut to the cap plus one character so the parser
 * reports the size (with its position) instead of the shell loading 50 MB; invalid UTF-8 becomes
 * U+FFFD, which the parsers reject with a position.
 */
export function decodeUtf8(bytes: Uint8Array, totalSize: number = bytes.length): string {
  if (totalSize > MAX_FILE_BYTES) {
    return new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, MAX_FILE_BYTES + 1));
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}
