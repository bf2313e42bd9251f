/**
 * GitHub's shapes for check run annotations (snake_case, as the Checks API takes them). They live
 * in render/, next to the renderer that fills them, so that the core below never sees them.
 */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
  raw_details?: string;
}
