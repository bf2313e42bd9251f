export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal (progress lines are only useful there, but CI logs get them too after 1 s). */
  isInteractive: boolean;
  now(): number;
}

/**
 * Progress on stderr, only once a run has taken more than a second, so quick runs stay silent and
 * stdout stays clean for JSON/SARIF.
 */
export function progressReporter(out: Output, thresholdMs = 1000): (step: string) => void {
  const started = out.now();
  return (step) => {
    const elapsed = out.now() - started;
    if (elapsed > thresholdMs) out.stderr(`mx-guard: ${step}… (${(elapsed / 1000).toFixed(1)} s)\n`);
  };
}
