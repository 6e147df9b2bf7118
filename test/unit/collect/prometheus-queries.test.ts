import { describe, expect, it } from "vitest";
import {
  factsQuery,
  namespacesSelector,
  podOwnerQuery,
  podSelectors,
  requiredMetricsSelector,
  selector,
} from "../../../src/collect/prometheus/queries.js";
import { SourceError } from "../../../src/core/errors.js";

describe("PromQL label values", () => {
  it("escapes quotes, backslashes, line breaks and other control characters in a value", () => {
    expect(selector({ namespace: 'a"b\\c\nd\te' })).toBe('{namespace="a\\"b\\\\c\\nd\\x09e"}');
  });

  it("regex-escapes every RE2 metacharacter of a pod matched with =~, then quotes it", () => {
    const pods = ["web.1", "a|b", "x(y)*+?", "[z]{2}", "^s$", "c\\d", 'q"t'];
    expect(selector({ namespace: "n", pods })).toBe(
      '{namespace="n",pod=~"web\\\\.1|a\\\\|b|x\\\\(y\\\\)\\\\*\\\\+\\\\?|\\\\[z\\\\]\\\\{2\\\\}|\\\\^s\\\\$|c\\\\\\\\d|q\\"t"}',
    );
  });

  it("puts the cluster label's value through the same escaping everywhere it is used", () => {
    const clusterLabel = { name: "cluster", value: 'prod"}or vector(1)' };
    const escaped = 'cluster="prod\\"}or vector(1)"';
    for (const query of [
      selector({ clusterLabel, namespace: "n" }),
      requiredMetricsSelector(clusterLabel),
      namespacesSelector(clusterLabel),
      podSelectors({ clusterLabel, namespace: "n" }).cpu,
      podOwnerQuery({ clusterLabel, namespace: "n" }, 3600),
      factsQuery({ clusterLabel, namespace: "n" }, 86_400),
    ]) {
      expect(query).toContain(escaped);
      expect(query.replaceAll(escaped, "")).not.toContain("prod");
    }
  });

  it('selects every namespace with namespace!="" when the scope names none', () => {
    expect(namespacesSelector(undefined)).toBe('container_memory_working_set_bytes{namespace!=""}');
  });

  it("refuses a cluster label name that is not a label name instead of pasting it into the query", () => {
    expect(() => selector({ clusterLabel: { name: 'cluster"}', value: "x" }, namespace: "n" })).toThrow(
      SourceError,
    );
  });
});
