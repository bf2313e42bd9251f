/**
 * vitest setupFile for the "app" project: no real network, and every test leaves no unused
 * interceptor and makes no request that no interceptor expected.
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";

const unmatched: string[] = [];

function onNoMatch(req: { method?: string; path?: string; href?: string; options?: { method?: string; path?: string } }): void {
  const method = req.method ?? req.options?.method ?? "?";
  const where = req.path ?? req.options?.path ?? req.href ?? "?";
  unmatched.push(`${method} ${where}`);
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on("no match", onNoMatch);
});

beforeEach(() => {
  unmatched.length = 0;
});

afterEach(() => {
  const pending = nock.pendingMocks();
  const unexpected = [...unmatched];
  nock.cleanAll();
  expect(unexpected, "requests no interceptor expected").toStrictEqual([]);
  expect(pending, "interceptors never called").toStrictEqual([]);
});

afterAll(() => {
  nock.emitter.removeListener("no match", onNoMatch);
  nock.enableNetConnect();
});
