import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RULE_DEFAULTS, renderSchemaFiles } from "../../src/schema/index.js";

const committed = (file: string) => readFileSync(new URL(`../../schemas/${file}`, import.meta.url), "utf8");
const schemas = Object.fromEntries(renderSchemaFiles().map(({ file, text }) => [file, JSON.parse(text) as Json]));

type Json = { [key: string]: unknown };

/** Every (path, property schema) pair under `properties`, recursively. */
function properties(node: unknown, path = ""): [string, Json][] {
  if (!node || typeof node !== "object") return [];
  const json = node as Json;
  const own = Object.entries((json.properties ?? {}) as Record<string, Json>).flatMap(([key, child]) => [
    [`${path}.${key}`, child] as [string, Json],
    ...properties(child, `${path}.${key}`),
  ]);
  const nested = ["items", "additionalProperties"].flatMap((k) => properties(json[k], `${path}[]`));
  return [...own, ...nested];
}

describe("JSON Schemas", () => {
  it.each(renderSchemaFiles().map((f) => [f.file, f.text]))(
    "schemas/%s is up to date (run: npm run build && npm run schemas)",
    (file, text) => {
      expect(committed(file)).toBe(text);
    },
  );

  it("writes the four files editors need", () => {
    expect(Object.keys(schemas).sort()).toEqual([
      "mx-guard.schema.json",
      "mx-rules.schema.json",
      "providers.schema.json",
      "traffic.schema.json",
    ]);
  });

  it.each(Object.keys(schemas))("%s has a title, a description, and a description on every property", (file) => {
    const schema = schemas[file]!;
    expect(schema.title).toEqual(expect.any(String));
    expect(schema.description).toEqual(expect.any(String));
    expect(schema.additionalProperties).toBe(false);
    const undocumented = properties(schema)
      .filter(([, p]) => typeof p.description !== "string")
      .map(([path]) => path);
    expect(undocumented).toEqual([]);
  });

  it("describes the MX rule: required keys, defaults, patterns", () => {
    const rule = (schemas["mx-rules.schema.json"]!.properties as Record<string, Json>).rules!.items as Json;
    expect(rule.required).toEqual(["mask", "maxConnections", "messagesPerHour"]);
    const props = rule.properties as Record<string, Json>;
    for (const [key, value] of Object.entries(RULE_DEFAULTS)) expect(props[key]!.default, key).toEqual(value);
    expect(props.tls!.enum).toEqual(["default", "disabled", "opportunistic"]);
    const durationPattern = new RegExp(props.timeout!.pattern as string);
    expect(["10s", "1h30m", "5d"].every((d) => durationPattern.test(d))).toBe(true);
    expect(["10", "", "1.5h", "30m1h"].map((d) => durationPattern.test(d))).toEqual([false, false, false, false]);
    const countPattern = new RegExp(((props.messagesPerHour!.anyOf as Json[])[1] as Json).pattern as string);
    expect(["1200", "1,200", "2,000,000"].map((c) => countPattern.test(c))).toEqual([true, true, true]);
    expect(["1,20", "12,00"].map((c) => countPattern.test(c))).toEqual([false, false]);
  });

  it("describes the traffic delivery with its required keys", () => {
    const delivery = (schemas["traffic.schema.json"]!.properties as Record<string, Json>).deliveries!.items as Json;
    expect(delivery.required).toEqual(["name", "start", "recipients"]);
    expect((delivery.properties as Record<string, Json>).start!.format).toBe("date-time");
  });

  it("lists the finding ids in the policy schema", () => {
    const failOn = (schemas["mx-guard.schema.json"]!.properties as Record<string, Json>).failOn!;
    expect((failOn.items as Json).enum).toContain("tls-required");
    expect(failOn.default).toEqual([
      "delivery-expiry",
      "deadline-miss",
      "tls-required",
      "no-path",
      "affinity-missing",
      "quota-raise",
      "config-error",
    ]);
    const maxRaise = (schemas["mx-guard.schema.json"]!.properties as Record<string, Json>).maxRaise!;
    expect(maxRaise).toMatchObject({ type: "number", exclusiveMinimum: 1, default: 2 });
  });
});
