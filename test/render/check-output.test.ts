import { describe, expect, it } from "vitest";
import { renderCheckOutput } from "../../src/render/check-output.js";
import { MAX_BODY_CHARS } from "../../src/render/truncate.js";
import { failureReview, hugeReview, multiInstanceReview, quietReview, SCENARIOS } from "../fixtures/review/scenarios.js";
import { expectGolden } from "./golden.js";

function asText(output: ReturnType<typeof renderCheckOutput>): string {
  return `# title\n${output.title}\n\n# summary\n${output.summary}\n\n# text\n${output.text ?? "(none)"}\n`;
}

describe("renderCheckOutput", () => {
  for (const [name, build] of Object.entries(SCENARIOS)) {
    it(`matches the golden file: ${name}`, () => {
      expectGolden(`check-output.${name}.md`, asText(renderCheckOutput(build())));
    });
  }

  it("is quiet when the head changes nothing for the worse: a one-line summary", () => {
    const out = renderCheckOutput(quietReview());
    expect(out.title).toBe("No change for the worse");
    expect(out.summary).not.toContain("\n");
    expect(out.summary).toContain("1 finding fixed");
    expect(out.text).toContain("Assumptions");
  });

  it("leads with the verdict, then the table, then new and worsened findings", () => {
    const out = renderCheckOutput(failureReview());
    expect(out.title).toBe("2 new and 1 worsened problems: deliveries would expire, deliveries would miss their deadline and more");
    expect(out.summary.startsWith("**Fails:")).toBe(true);
    const table = out.summary.indexOf("| Delivery |");
    const list = out.summary.indexOf("#### New and worsened");
    const details = out.summary.indexOf("<details>");
    expect(0 < table && table < list && list < details).toBe(true);
    expect(out.summary).toContain("7.3 h → **expires**");
  });

  it("names instances in the table when there are several", () => {
    const out = renderCheckOutput(multiInstanceReview());
    expect(out.summary).toContain("| Instance | Delivery |");
    expect(out.summary).toContain("Enhanced MTA");
  });

  it("cuts the middle of a huge summary and says so", () => {
    const out = renderCheckOutput(hugeReview());
    expect(out.summary.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(out.summary.length).toBeGreaterThan(MAX_BODY_CHARS - 2_000);
    expect(out.summary).toContain("were cut from the middle of this report");
    expect(out.summary.startsWith("**Fails:")).toBe(true);
    expect(out.summary.trimEnd().endsWith("</details>")).toBe(true);
  });
});
