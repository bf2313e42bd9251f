import { describe, expect, it } from "vitest";
import { readXml } from "../../src/parse/xml/reader.js";
import type { XmlElement } from "../../src/parse/xml/types.js";

function root(text: string, file = "t.xml"): XmlElement {
  const result = readXml(file, text);
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.value;
}

const value = (element: XmlElement, name: string) => element.attrs.get(name)?.value;

describe("readXml: tree", () => {
  it("builds the element tree with attributes, dropping text, comments, PIs and CDATA", () => {
    const doc = root(
      [
        "<?xml version='1.0' encoding='UTF-8'?>",
        "<!-- leading comment -->",
        "<?app hint?>",
        "<a x=\"1\" y='two'>",
        "  some text",
        "  <b/>",
        "  <![CDATA[ <not-an-element> ]]>",
        "  <?inner pi?>",
        '  <c z = "3" ><d/></c>',
        "</a>",
        "<!-- trailing comment -->",
        "",
      ].join("\n"),
    );
    expect(doc.name).toBe("a");
    expect([...doc.attrs.keys()]).toEqual(["x", "y"]);
    expect(value(doc, "x")).toBe("1");
    expect(value(doc, "y")).toBe("two");
    expect(doc.children.map((c) => c.name)).toEqual(["b", "c"]);
    expect(value(doc.children[1]!, "z")).toBe("3");
    expect(doc.children[1]!.children.map((c) => c.name)).toEqual(["d"]);
  });

  it("keeps element and attribute names case-sensitive and allows _, -, . and : in names", () => {
    const doc = root('<serverConf><IPAffinity _name="x" data-x="1" a.b="2" ns:c="3"/><ipaffinity/></serverConf>');
    expect(doc.children.map((c) => c.name)).toEqual(["IPAffinity", "ipaffinity"]);
    expect([...doc.children[0]!.attrs.keys()]).toEqual(["_name", "data-x", "a.b", "ns:c"]);
  });

  it("decodes the five predefined entities and numeric character references in attribute values", () => {
    const doc = root(`<a v="&lt;&gt;&amp;&quot;&apos;" n="&#65;&#x42;&#x1F600;" q='say "hi"' s="it's"/>`);
    expect(value(doc, "v")).toBe(`<>&"'`);
    expect(value(doc, "n")).toBe("AB\u{1F600}");
    expect(value(doc, "q")).toBe('say "hi"');
    expect(value(doc, "s")).toBe("it's");
  });

  it("normalises literal tabs and line breaks in attribute values to spaces, but not character references", () => {
    const doc = root('<a v="x\ty\r\nz\nw" r="&#10;"/>');
    expect(value(doc, "v")).toBe("x y z w");
    expect(value(doc, "r")).toBe("\n");
  });

  it("accepts a document without an XML declaration, with a BOM, and an empty value", () => {
    expect(root("\uFEFF<a v=''/>").attrs.get("v")?.value).toBe("");
    expect(root("  \n<a/>\n\n").name).toBe("a");
  });

  it("accepts text containing '>' and '&' (text is ignored)", () => {
    expect(root("<a>1 > 0 & so on</a>").children).toEqual([]);
  });
});

describe("readXml: positions", () => {
  const text = [
    "<?xml version='1.0'?>", // line 1
    "<root>", // line 2
    '  <item id="7"', // line 3
    "        label='x'/>", // line 4
    '\t<other\ta=""></other>', // line 5
    "</root>", // line 6
  ].join("\n");

  it("reports 1-based line and column of start tags, attribute names, values and end tags", () => {
    const doc = root(text, "conf/serverConf.xml");
    expect(doc.pos).toEqual({ file: "conf/serverConf.xml", line: 2, column: 1 });
    expect(doc.endPos).toEqual({ file: "conf/serverConf.xml", line: 6, column: 1 });
    const [item, other] = doc.children;
    expect(item!.pos).toMatchObject({ line: 3, column: 3 });
    expect(item!.attrs.get("id")).toMatchObject({ pos: { line: 3, column: 9 }, valuePos: { line: 3, column: 13 } });
    expect(item!.attrs.get("label")).toMatchObject({ pos: { line: 4, column: 9 }, valuePos: { line: 4, column: 16 } });
    expect(item!.endPos).toMatchObject({ line: 4, column: 18 });
    expect(other!.pos).toMatchObject({ line: 5, column: 2 });
    expect(other!.attrs.get("a")).toMatchObject({ pos: { line: 5, column: 9 }, valuePos: { line: 5, column: 12 } });
    expect(other!.endPos).toMatchObject({ line: 5, column: 14 });
  });

  it("counts CRLF and lone CR as one line break each", () => {
    const crlf = root(text.replaceAll("\n", "\r\n"));
    expect(crlf.children[0]!.attrs.get("label")!.pos).toMatchObject({ line: 4, column: 9 });
    const cr = root(text.replaceAll("\n", "\r"));
    expect(cr.children[1]!.pos).toMatchObject({ line: 5, column: 2 });
  });

  it("does not count a byte-order mark as a column", () => {
    expect(root('\uFEFF<a v="1"/>').attrs.get("v")!.pos).toMatchObject({ line: 1, column: 4 });
  });

  it("counts line breaks inside comments and CDATA", () => {
    const doc = root("<a>\n<!--\n\n-->\n<![CDATA[\n]]>\n<b/></a>");
    expect(doc.children[0]!.pos).toMatchObject({ line: 7, column: 1 });
  });
});
