/**
 * Source positions. Every value read from a configuration file keeps where it came from, so that a
 * finding can be anchored on the exact line that causes it. Lines and columns are 1-based.
 */
export interface SourcePos {
  /** Repository-relative path, as the user sees it (e.g. "campaign/mx-rules.yaml"). */
  file: string;
  line: number;
  column: number;
}

/** A range of lines (inclusive), e.g. one MX rule item in mx-rules.yaml. */
export interface SourceSpan extends SourcePos {
  endLine: number;
  endColumn: number;
}

/** Where a setting's effective value came from. */
export type SettingOrigin = "default" | "serverConf" | "instance";

/** A configuration value with its origin; `pos` is absent when the documented default applies. */
export interface Setting<T> {
  value: T;
  origin: SettingOrigin;
  pos?: SourcePos;
}

/** Repository-relative path → file text, or null when the file does not exist at that revision. */
export type FileMap = Record<string, string | null>;
