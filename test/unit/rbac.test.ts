import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { RESOURCE_SPECS } from "../../src/collect/kubernetes/client.js";
import { projectPath } from "../../src/core/paths.js";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const docs = parseAllDocuments(readFileSync(projectPath("deploy", "rbac.yaml"), "utf8")).map((d) => d.toJS());
const role = docs.find((d) => d.kind === "ClusterRole") as { rules: Rule[] };

describe("deploy/rbac.yaml", () => {
  it.each(RESOURCE_SPECS.map((s) => [s.resource, s.group] as const))(
    "grants list on %s (group %j)",
    (resource, group) => {
      expect(
        role.rules.some(
          (r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes("list"),
        ),
      ).toBe(true);
    },
  );

  it("grants nothing but get and list, and no Secrets", () => {
    expect(role.rules.flatMap((r) => r.verbs).every((v) => v === "get" || v === "list")).toBe(true);
    expect(role.rules.some((r) => r.resources.includes("secrets") || r.resources.includes("*"))).toBe(false);
  });
});
