import { describe, expect, it } from "vitest";
import { matches, parseSelector, SelectorError } from "../../src/core/selector.js";

const m = (selector: string, labels: Record<string, string>) => matches(parseSelector(selector), labels);

describe("label selectors as kubectl -l takes them", () => {
  it("matches equality, inequality, sets, existence and absence, all required", () => {
    const labels = { app: "web", tier: "front", env: "prod" };
    expect(m("app=web", labels)).toBe(true);
    expect(m("app==web,tier=front", labels)).toBe(true);
    expect(m("app=web,tier=back", labels)).toBe(false);
    expect(m("tier!=back", labels)).toBe(true);
    expect(m("env in (prod, staging)", labels)).toBe(true);
    expect(m("env notin (prod)", labels)).toBe(false);
    expect(m("app", labels)).toBe(true);
    expect(m("!legacy", labels)).toBe(true);
    expect(m("!app", labels)).toBe(false);
    expect(m("", labels)).toBe(true);
  });

  it("lets != and notin match a missing key, as Kubernetes does", () => {
    expect(m("team!=payments", {})).toBe(true);
    expect(m("team notin (a,b)", {})).toBe(true);
    expect(m("team in (a,b)", {})).toBe(false);
  });

  it("refuses what does not parse instead of matching everything", () => {
    for (const bad of ["env in (a", "=web", "app=we b", "app=web,,", "a b c"])
      expect(() => parseSelector(bad), bad).toThrow(SelectorError);
  });
});
