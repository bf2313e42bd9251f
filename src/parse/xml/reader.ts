/**
 * A small XML reader for Campaign configuration files. It keeps the position of every element and
 * attribute and is safe on hostile input: one forward scan, bounded size and depth, and no DTD or
 * entity expansion at all, so entity bombs and external entities cannot exist. It stops at the first
 * syntax error and never throws. fast-xml-parser was measured and rejected: it gives no attribute
 * positions (review comments need them) and accepts broken files this reader refuses (README.md#design-notes).
 */
import { describeFound, fail, ok, type ConfigIssue, type Result } from "../../model/errors.js";
import type { SourcePos } from "../../model/source.js";
import { decodeAttributeValue } from "./attribute-text.js";
import { charsetOf, declaredEncoding, READABLE_ENCODINGS } from "../../model/xml-encoding.js";
import { checkSize, findNonText } from "./input-checks.js";
import { issueAt } from "./issue.js";
import { LineIndex } from "./line-index.js";
import type { XmlAttribute, XmlElement } from "./types.js";

/** Deepest element nesting accepted (the root is depth 1). */
export const MAX_XML_DEPTH = 100;

// XML names, simplified: every non-ASCII character is allowed (bad UTF-8 was rejected before).
const NAME = /[A-Za-z_:\u00C0-\uFFFF][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]*/y;

/** Carries the first syntax error out of the scan; caught in readXml, never seen by callers. */
class Stop {
  constructor(readonly issue: ConfigIssue) {}
}

type OpenElement = XmlElement & { attrs: Map<string, XmlAttribute> };

/** Parses one XML document into its root element, or the first problem found. */
export function readXml(file: string, text: string): Result<XmlElement> {
  const tooBig = checkSize(text, file);
  if (tooBig) return fail([tooBig]);
  const lines = new LineIndex(file, text);
  const declared = declaredEncoding(text);
  if (declared && charsetOf(declared.name) === null) {
    const message = `the XML declaration names encoding "${declared.name}", which mx-guard cannot read: save the file as UTF-8 (and declare encoding="UTF-8")`;
    return fail([issueAt(lines.at(declared.offset), describeFound(declared.name), READABLE_ENCODINGS, message)]);
  }
  const bad = findNonText(text);
  if (bad) {
    const message = "binary or invalid UTF-8 content: the file must be UTF-8 encoded XML text";
    return fail([issueAt(lines.at(bad.offset), bad.found, "XML text (UTF-8)", message)]);
  }
  try {
    return ok(new Scanner(text, lines).document());
  } catch (e) {
    if (e instanceof Stop) return fail([e.issue]);
    throw e;
  }
}

class Scanner {
  private i: number;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  document(): XmlElement {
    if (/^<\?xml[\s?]/i.test(this.text.slice(this.i, this.i + 6))) this.processingInstruction(true);
    this.misc("before");
    const root = this.elementTree();
    this.misc("after");
    return root;
  }

  private pos(offset: number): SourcePos {
    return this.lines.at(offset);
  }

  private stop(at: number | SourcePos, found: string, expected: string, message: string): never {
    throw new Stop(issueAt(typeof at === "number" ? this.pos(at) : at, found, expected, message));
  }

  /** A short excerpt of what stands at an offset, for `found`. */
  private foundAt(offset: number): string {
    if (offset >= this.text.length) return "end of file";
    return describeFound(this.text.slice(offset, offset + 20).split(/[\r\n]/)[0]);
  }

  private at(s: string): boolean {
    return this.text.startsWith(s, this.i);
  }

  private skipSpace(): boolean {
    const from = this.i;
    for (let c = this.text.charCodeAt(this.i); c === 32 || c === 9 || c === 10 || c === 13; ) {
      c = this.text.charCodeAt(++this.i);
    }
    return this.i > from;
  }

  private name(): string | null {
    NAME.lastIndex = this.i;
    const m = NAME.exec(this.text);
    if (!m) return null;
    this.i = NAME.lastIndex;
    return m[0];
  }

  /** Comments, processing instructions and white space around the root element. */
  private misc(where: "before" | "after"): void {
    for (;;) {
      this.skipSpace();
      if (this.i >= this.text.length) {
        if (where === "after") return;
        this.stop(this.i, "end of file", "a root element such as <serverConf>", "the file has no root element");
      }
      if (this.at("<!--")) this.comment();
      else if (this.at("<?")) this.processingInstruction(false);
      else if (this.at("<!")) this.declaration();
      else if (where === "before" && this.at("<")) return;
      else if (where === "before") {
        this.stop(this.i, this.foundAt(this.i), "a root element such as <serverConf>", "text before the root element");
      } else {
        this.stop(this.i, this.foundAt(this.i), "end of file", "content after the end of the root element");
      }
    }
  }

  private comment(): void {
    const end = this.text.indexOf("-->", this.i + 4);
    if (end < 0) this.stop(this.i, "end of file", '"-->"', "comment is never closed");
    this.i = end + 3;
  }

  private cdata(): void {
    const end = this.text.indexOf("]]>", this.i + 9);
    if (end < 0) this.stop(this.i, "end of file", '"]]>"', "CDATA section is never closed");
    this.i = end + 3;
  }

  private processingInstruction(isDeclaration: boolean): void {
    const start = this.i;
    this.i += 2;
    const target = this.name();
    if (target === null) {
      this.stop(this.i, this.foundAt(this.i), "a processing-instruction name", "'<?' must start a processing instruction");
    }
    if (!isDeclaration && target.toLowerCase() === "xml") {
      this.stop(start, "<?xml", "the XML declaration on the first line only", "the XML declaration must be at the very start of the file");
    }
    const end = this.text.indexOf("?>", this.i);
    if (end < 0) this.stop(start, "end of file", '"?>"', `processing instruction <?${target} is never closed`);
    this.i = end + 2;
  }

  /** `<!DOCTYPE`, `<!ENTITY` and the like: refused, so nothing can ever be expanded or fetched. */
  private declaration(): never {
    const word = /^<!([A-Za-z]*)/.exec(this.text.slice(this.i, this.i + 20))?.[1] ?? "";
    const found = `<!${word}`;
    if (/^(DOCTYPE|ENTITY)$/i.test(word)) {
      this.stop(
        this.i,
        found,
        "no <!DOCTYPE or <!ENTITY declaration",
        `${found} is not allowed: mx-guard never expands entities (this blocks entity-expansion and external-entity attacks); remove the declaration`,
      );
    }
    this.stop(this.i, found, "an element, a comment or CDATA", `unsupported markup declaration ${found}`);
  }

  /** The root element and everything inside it, without recursion. */
  private elementTree(): XmlElement {
    const root = this.startTag();
    const open: OpenElement[] = root.selfClosing ? [] : [root.element];
    while (open.length > 0) {
      const parent = open[open.length - 1]!;
      const lt = this.text.indexOf("<", this.i);
      if (lt < 0) {
        this.stop(parent.pos, "end of file", `</${parent.name}>`, `<${parent.name}> is never closed`);
      }
      this.i = lt;
      if (this.at("</")) this.endTag(open);
      else if (this.at("<!--")) this.comment();
      else if (this.at("<![CDATA[")) this.cdata();
      else if (this.at("<?")) this.processingInstruction(false);
      else if (this.at("<!")) this.declaration();
      else {
        if (open.length >= MAX_XML_DEPTH) {
          this.stop(
            lt,
            this.foundAt(lt),
            `at most ${MAX_XML_DEPTH} nested elements`,
            `elements are nested more than ${MAX_XML_DEPTH} deep`,
          );
        }
        const child = this.startTag();
        parent.children.push(child.element);
        if (!child.selfClosing) open.push(child.element);
      }
    }
    return root.element;
  }

  private endTag(open: OpenElement[]): void {
    const start = this.i;
    this.i += 2;
    const name = this.name();
    if (name === null) this.stop(this.i, this.foundAt(this.i), "an element name", "'</' must start an end tag");
    this.skipSpace();
    if (this.text[this.i] !== ">") this.stop(this.i, this.foundAt(this.i), '">"', `end tag </${name} is not closed with ">"`);
    this.i++;
    const element = open.pop()!;
    if (element.name !== name) {
      const where = `line ${element.pos.line}, column ${element.pos.column}`;
      this.stop(start, `</${name}>`, `</${element.name}>`, `end tag </${name}> does not match <${element.name}> opened at ${where}`);
    }
    element.endPos = this.pos(start);
  }

  private startTag(): { element: OpenElement; selfClosing: boolean } {
    const start = this.i;
    this.i++;
    const name = this.name();
    if (name === null) {
      this.stop(start, this.foundAt(start), "an element name after '<'", "'<' must start a tag (write &lt; for a literal '<')");
    }
    const pos = this.pos(start);
    const element: OpenElement = { name, attrs: new Map(), children: [], pos, endPos: pos };
    for (;;) {
      const spaced = this.skipSpace();
      const c = this.text[this.i];
      if (c === ">") {
        this.i++;
        return { element, selfClosing: false };
      }
      if (c === "/" && this.text[this.i + 1] === ">") {
        element.endPos = this.pos(this.i);
        this.i += 2;
        return { element, selfClosing: true };
      }
      if (c === undefined) this.stop(start, "end of file", '">"', `start tag <${name} is never closed`);
      if (!spaced) {
        this.stop(this.i, this.foundAt(this.i), 'white space, ">" or "/>"', `expected white space before the next attribute of <${name}>`);
      }
      this.attribute(element);
    }
  }

  private attribute(element: OpenElement): void {
    const start = this.i;
    const name = this.name();
    if (name === null) {
      this.stop(start, this.foundAt(start), 'an attribute name, ">" or "/>"', `unexpected character in the <${element.name}> tag`);
    }
    const first = element.attrs.get(name);
    if (first) {
      const where = `line ${first.pos.line}, column ${first.pos.column}`;
      this.stop(start, name, "each attribute once per element", `attribute ${name} is repeated on <${element.name}> (first at ${where})`);
    }
    this.skipSpace();
    if (this.text[this.i] !== "=") this.stop(this.i, this.foundAt(this.i), '"="', `attribute ${name} has no value; write ${name}="…"`);
    this.i++;
    this.skipSpace();
    const quote = this.text[this.i];
    if (quote !== '"' && quote !== "'") {
      this.stop(this.i, this.foundAt(this.i), "a value in quotes", `the value of ${name} must be in single or double quotes`);
    }
    const valueStart = this.i + 1;
    const end = this.text.indexOf(quote, valueStart);
    if (end < 0) this.stop(this.i, "end of file", `closing ${quote}`, `the value of ${name} is never closed`);
    const raw = this.text.slice(valueStart, end);
    const lt = raw.indexOf("<");
    if (lt >= 0) {
      const where = this.pos(this.i);
      this.stop(
        valueStart + lt,
        this.foundAt(valueStart + lt),
        `&lt; or closing ${quote}`,
        `'<' cannot appear in the value of ${name} (opened at line ${where.line}, column ${where.column}): write &lt;, or add the missing closing quote`,
      );
    }
    const decoded = decodeAttributeValue(raw);
    if (!decoded.ok) this.stop(valueStart + decoded.offset, decoded.found, decoded.expected, decoded.message);
    element.attrs.set(name, { value: decoded.value, pos: this.pos(start), valuePos: this.pos(valueStart) });
    this.i = end + 1;
  }
}
