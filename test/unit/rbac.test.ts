/**
 * The ClusterRole in deploy/base/rbac.yaml is exactly what the Kubernetes collector needs: one
 * `list` per resource it lists (src/collect/kubernetes/resources.ts), nothing it does not. The
 * collector never reads one object by name, so no rule grants `get`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { RESOURCE_SPECS } from "../../src/collect/kubernetes/resources.js";
import { projectPath } from "../../src/core/paths.js";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const docs = parseAllDocuments(readFileSync(projectPath("deploy", "base", "rbac.yaml"), "utf8")).map(
  (d) => d.toJS() as { kind: string; rules?: Rule[] },
);
const role = docs.find((d) => d.kind === "ClusterRole") as { rules: Rule[] };

/** Every (group, resource, verb) a set of rules grants. */
function grants(rules: readonly Rule[]): string[] {
  return rules
    .flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`))),
    )
    .sort();
}

describe("deploy/base/rbac.yaml", () => {
  it("grants list on exactly the resources the collector lists, and nothing else", () => {
    const needed = RESOURCE_SPECS.map((s) => `${s.group}/${s.resource}:list`).sort();
    expect(grants(role.rules)).toEqual(needed);
  });

  it("grants no get, because the collector never reads an object by name", () => {
    const dir = projectPath("src", "collect", "kubernetes");
    const source = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(`${dir}/${f}`, "utf8"))
      .join("\n");
    // The generated client reads one object with read<Kind> / getClusterCustomObject.
    expect(source).not.toMatch(/\.(read[A-Z]\w*|get(Cluster|Namespaced)CustomObject)\(/);
    expect(role.rules.flatMap((r) => r.verbs)).not.toContain("get");
  });

  it("never grants Secrets, ConfigMaps or wildcards", () => {
    const all = role.rules.flatMap((r) => [...r.resources, ...r.verbs, ...r.apiGroups]);
    for (const forbidden of ["secrets", "configmaps", "*"]) expect(all).not.toContain(forbidden);
  });
});
