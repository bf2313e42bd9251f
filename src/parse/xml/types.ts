import type { SourcePos } from "../../model/source.js";

/** One attribute as written: its decoded value and where its name and value start. */
export interface XmlAttribute {
  /** Value after entity and character-reference decoding and XML whitespace normalisation. */
  value: string;
  /** Position of the attribute name. */
  pos: SourcePos;
  /** Position of the first character inside the quotes (the closing quote when the value is empty). */
  valuePos: SourcePos;
}

/** An element of the tree `readXml` returns. Text, comments and processing instructions are dropped. */
export interface XmlElement {
  name: string;
  /** By attribute name exactly as written (case-sensitive, `_disabled` names included). */
  attrs: ReadonlyMap<string, XmlAttribute>;
  children: XmlElement[];
  /** Position of the `<` of the start tag. */
  pos: SourcePos;
  /** Position of the `<` of the end tag, or of the `/>` of a self-closing tag. */
  endPos: SourcePos;
}
