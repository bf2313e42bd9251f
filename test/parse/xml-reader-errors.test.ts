import { describe, expect, it } from "vitest";
import type { ConfigIssue } from "../../src/model/errors.js";
import { readXml } from "../../src/parse/xml/reader.js";

function firstError(text: string): ConfigIssue {
  const result = readXml("bad.xml", text);
  if (result.ok) throw new Error("expected a syntax error");
  expect(result.errors).toHaveLength(1);
  return result.errors[0]!;
}

describe("readXml: syntax errors carry file, line, column, found and expected", () => {
  it("mismatched end tag points at the end tag and names the open element", () => {
    const issue = firstError("<a>\n  <b>\n  </c>\n</a>");
    expect(issue).toMatchObject({ file: "bad.xml", line: 3, column: 3, found: "</c>", expected: "</b>" });
    expect(issue.message).toContain("opened at line 2, column 3");
  });

  it("an element still open at the end of the file points at its start tag", () => {
    const issue = firstError("<a>\n  <b>\n  </b>\n");
    expect(issue).toMatchObject({ line: 1, column: 1, found: "end of file", expected: "</a>" });
    expect(issue.message).toBe("<a> is never closed");
  });

  it("an unterminated start tag points at its '<'", () => {
    expect(firstError('<a>\n <b x="1"')).toMatchObject({ line: 2, column: 2, found: "end of file", expected: '">"' });
  });

  it("a duplicate attribute points at the second one", () => {
    const issue = firstError('<a x="1"\n   x="2"/>');
    expect(issue).toMatchObject({ line: 2, column: 4, found: "x", expected: "each attribute once per element" });
    expect(issue.message).toContain("first at line 1, column 4");
  });

  it("content after the root element is rejected where it starts", () => {
    expect(firstError("<a/>\n<b/>")).toMatchObject({ line: 2, column: 1, found: '"<b/>"', expected: "end of file" });
    expect(firstError("<a/> tail")).toMatchObject({ line: 1, column: 6, found: '"tail"' });
  });

  it("text before the root element and an empty document are rejected", () => {
    expect(firstError("hello <a/>")).toMatchObject({ line: 1, column: 1, message: "text before the root element" });
    expect(firstError("  \n <!-- only a comment -->\n")).toMatchObject({
      line: 3,
      column: 1,
      found: "end of file",
      message: "the file has no root element",
    });
  });

  it("unterminated comment, CDATA and processing instruction point at their start", () => {
    expect(firstError("<a>\n <!-- open")).toMatchObject({ line: 2, column: 2, expected: '"-->"', message: "comment is never closed" });
    expect(firstError("<a><![CDATA[ x")).toMatchObject({ line: 1, column: 4, expected: '"]]>"' });
    expect(firstError("<a><?pi x")).toMatchObject({ line: 1, column: 4, expected: '"?>"' });
  });

  it("an attribute value with no closing quote is reported, not read to the end of the file", () => {
    const issue = firstError('<a x="1>\n  <b y="2"/>\n</a>');
    expect(issue).toMatchObject({ line: 2, column: 3 });
    expect(issue.message).toContain("opened at line 1, column 6");
    expect(firstError("<a x='1/>")).toMatchObject({ line: 1, column: 6, found: "end of file", expected: "closing '" });
  });

  it("unquoted values, missing '=' and missing white space between attributes are errors", () => {
    expect(firstError("<a x=1/>")).toMatchObject({ line: 1, column: 6, expected: "a value in quotes" });
    expect(firstError('<a x "1"/>')).toMatchObject({ line: 1, column: 6, expected: '"="' });
    expect(firstError('<a x="1"y="2"/>')).toMatchObject({ line: 1, column: 9, found: '"y=\\"2\\"/>"' });
  });

  it("a '<' that does not start a tag is an error", () => {
    expect(firstError("<a>< b/></a>")).toMatchObject({ line: 1, column: 4, expected: "an element name after '<'" });
    expect(firstError("<a></ a>")).toMatchObject({ line: 1, column: 6, expected: "an element name" });
    expect(firstError("<a></a x>")).toMatchObject({ line: 1, column: 8, expected: '">"' });
  });

  it("unknown entities, bare '&' and invalid character references in values are errors at the '&'", () => {
    expect(firstError('<a v="x &nbsp; y"/>')).toMatchObject({ line: 1, column: 9, found: '"&nbsp;"' });
    expect(firstError('<a v="AT&T"/>')).toMatchObject({ line: 1, column: 9 });
    expect(firstError('<a v="&#0;"/>')).toMatchObject({ line: 1, column: 7, found: '"&#0;"' });
    expect(firstError('<a v="&#xD800;"/>')).toMatchObject({ line: 1, column: 7 });
    expect(firstError('<a v="&#x110000;"/>')).toMatchObject({ line: 1, column: 7 });
  });

  it("an XML declaration anywhere but the start is an error", () => {
    expect(firstError("\n<?xml version='1.0'?><a/>")).toMatchObject({ line: 2, column: 1, found: "<?xml" });
    expect(firstError("<a><?xml version='1.0'?></a>")).toMatchObject({ line: 1, column: 4, found: "<?xml" });
  });

  it("rejects <!DOCTYPE and <!ENTITY anywhere, with a message about entity expansion", () => {
    const doctype = firstError('<?xml version="1.0"?>\n<!DOCTYPE a [ <!ENTITY e "x"> ]>\n<a v="&e;"/>');
    expect(doctype).toMatchObject({ line: 2, column: 1, found: "<!DOCTYPE", expected: "no <!DOCTYPE or <!ENTITY declaration" });
    expect(doctype.message).toContain("never expands entities");
    expect(firstError("<a>\n  <!ENTITY e SYSTEM 'file:///etc/passwd'>\n</a>")).toMatchObject({ line: 2, column: 3, found: "<!ENTITY" });
    expect(firstError("<a/>\n<!DOCTYPE a>")).toMatchObject({ line: 2, column: 1, found: "<!DOCTYPE" });
    expect(firstError("<a><!ELEMENT a ANY></a>")).toMatchObject({ line: 1, column: 4, found: "<!ELEMENT" });
  });
});
