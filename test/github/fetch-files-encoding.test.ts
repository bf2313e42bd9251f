/**
 * GitHub's GraphQL `text` is UTF-8 with replacement characters where the bytes were not: such a blob
 * (a serverConf.xml declared ISO-8859-1) is decoded again from its bytes, as the document declares.
 */
import { describe, expect, it } from "vitest";
import { blobsToFiles, type BlobNode } from "../../src/github/fetch-files.js";
import type { GitHub } from "../../src/github/types.js";

const LATIN1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- générale -->\n<serverConf/>\n', "latin1");

function fakeGitHub(blobs: Record<string, Buffer>): GitHub & { asked: string[] } {
  const asked: string[] = [];
  const getBlob = async ({ file_sha, mediaType }: { file_sha: string; mediaType?: unknown }) => {
    asked.push(file_sha);
    if (mediaType) throw new Error("raw blob not expected here");
    return { data: { content: blobs[file_sha]!.toString("base64"), encoding: "base64" } };
  };
  return {
    owner: "acme",
    repo: "campaign",
    log: {} as GitHub["log"],
    octokit: { rest: { git: { getBlob } } } as unknown as GitHub["octokit"],
    asked,
  };
}

const node = (oid: string, text: string | null, isBinary = false): BlobNode => ({ oid, text, isTruncated: false, isBinary, byteSize: 100 });

describe("blobsToFiles and encodings", () => {
  it("keeps GraphQL text that decoded cleanly, and decodes a Latin-1 blob again from its bytes", async () => {
    const gh = fakeGitHub({ latin: LATIN1 });
    const asText = new TextDecoder().decode(LATIN1); // what GitHub's text looks like: "g\uFFFDn\uFFFDrale"
    const files = await blobsToFiles(
      gh,
      ["a.yaml", "serverConf.xml"],
      { b0: node("y", "a: 1\n"), h0: node("y", "a: 1\n"), b1: node("latin", asText), h1: node("latin", asText) },
      { base: "b".repeat(40), head: "h".repeat(40) },
    );
    expect(files.base["a.yaml"]).toBe("a: 1\n");
    expect(files.head["serverConf.xml"]).toContain("<!-- générale -->");
    expect(gh.asked).toEqual(["latin", "latin"]);
  });

  it("reads a UTF-16 blob GitHub calls binary when it starts with a byte-order mark, and refuses other binary blobs", async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('<?xml version="1.0" encoding="UTF-16"?>\n<serverConf/>\n', "utf16le"),
    ]);
    const gh = fakeGitHub({ u: utf16, png: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
    const files = await blobsToFiles(
      gh,
      ["s.xml"],
      { b0: node("u", null, true), h0: node("u", null, true) },
      { base: "b".repeat(40), head: "h".repeat(40) },
    );
    expect(files.head["s.xml"]).toBe('<?xml version="1.0" encoding="UTF-16"?>\n<serverConf/>\n');
    await expect(
      blobsToFiles(
        gh,
        ["p.xml"],
        { b0: node("png", null, true), h0: node("png", null, true) },
        { base: "b".repeat(40), head: "h".repeat(40) },
      ),
    ).rejects.toThrow("is a binary file");
  });
});
