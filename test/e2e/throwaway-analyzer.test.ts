/**
 * The analyzer contract's proof: an analyzer written in a temporary folder (its settings, one
 * model, its section and its template partials), added to the registry the functions are given,
 * shows in every output (HTML, Markdown, recommendations.json, its CSV, a flag derived from its
 * settings, a variable its SQL reads) without any other file of the project being edited.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Analyzer } from "../../src/analyze/analyzer.js";
import { ANALYZERS } from "../../src/analyze/registry.js";
import { configFlags, flagValue } from "../../src/config/flags.js";
import { buildConfigSchema, type Config } from "../../src/config/schema.js";
import { projectPath } from "../../src/core/paths.js";
import { analyze } from "../../src/services/analyze.js";
import { report } from "../../src/services/report.js";
import { Store } from "../../src/store/store.js";
import { container, GIB, node, pod, testContext, writeScenario } from "../fixtures/scenario.js";

const FILES: Record<string, string> = {
  "settings.ts": `import { z } from "zod";

export const podCensusSettings = z
  .strictObject({
    minPods: z.number().int().min(1).default(1).describe("Namespaces with fewer pods are left out of the census."),
  })
  .prefault({});
`,
  "section.ts": `import type { z } from "zod";
import type { Section, SectionInput } from "../../src/analyze/analyzer.js";
import type { podCensusSettings } from "./settings.js";

export async function podCensusSection({ marts, settings }: SectionInput<z.output<typeof podCensusSettings>>): Promise<Section> {
  const rows = await marts.read("mart_pod_census", { cluster: "string", namespace: "string", pods: "number" }, ["namespace"]);
  return {
    view: { minPods: settings.minPods, rows },
    recommendations: { podCensus: rows },
    csv: { file: "pod-census.csv", columns: [{ name: "cluster" }, { name: "namespace" }, { name: "pods" }], rows },
    savings: { category: "podCensus", label: "pod census", monthlyUsd: 1.5 },
    caveats: [\`The pod census counts namespaces with at least \${settings.minPods} pods.\`],
  };
}
`,
  "index.ts": `import { join } from "node:path";
import { defineAnalyzer } from "../../src/analyze/analyzer.js";
import { podCensusSection } from "./section.js";
import { podCensusSettings } from "./settings.js";

export const podCensus = defineAnalyzer({
  name: "podCensus",
  settings: podCensusSettings,
  queries: join(import.meta.dirname, "queries"),
  templates: join(import.meta.dirname, "templates"),
  section: podCensusSection,
});
`,
  "queries/marts/mart_pod_census.sql": `select cluster, namespace, count(*) as pods
from stg_kubernetes__pods
group by all
having count(*) >= getvariable('pod_census_min_pods')
`,
  "templates/pod-census.html.hbs": `<h2 id="pod-census">Pod census</h2>
<p>At least {{minPods}} pods:</p>
<ul>{{#each rows}}<li>{{namespace}}: {{num pods}} pods</li>{{/each}}</ul>
`,
  "templates/pod-census.md.hbs": `## Pod census

At least {{minPods}} pods: {{#each rows}}{{namespace}} {{num pods}} pods{{#unless @last}}, {{/unless}}{{/each}}.
`,
};

// Inside the project, so that its imports of zod and src/ resolve; removed afterwards.
const dir = mkdtempSync(join(projectPath("test"), ".throwaway-analyzer-"));
const out = mkdtempSync(join(tmpdir(), "capacity-throwaway-"));
let podCensus: Analyzer;
let store: Store;

beforeAll(async () => {
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  podCensus = ((await import(join(dir, "index.ts"))) as { podCensus: Analyzer }).podCensus;
  store = await Store.open(join(out, "c.duckdb"), testContext().logger);
  await writeScenario(
    store,
    { start: "2026-11-01T00:00:00Z", end: "2026-11-01T04:00:00Z" },
    {
      k8s_nodes: [node("ip-a.ec2.internal", "m5.xlarge")],
      k8s_pods: [
        pod("team-a", "api-1", "ip-a.ec2.internal"),
        pod("team-a", "api-2", "ip-a.ec2.internal"),
        pod("team-b", "web-1", "ip-a.ec2.internal"),
      ],
      k8s_containers: [
        container("team-a", "api-1", 0.5, 1n * GIB),
        container("team-a", "api-2", 0.5, 1n * GIB),
        container("team-b", "web-1", 0.5, 1n * GIB),
      ],
    },
  );
});

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("an analyzer added in a temporary folder", () => {
  it("shows in the flags, the SQL's variables, the HTML, the Markdown, recommendations.json and its CSV", async () => {
    const registry = [...ANALYZERS, podCensus];
    const schema = buildConfigSchema(registry);
    const flag = configFlags(schema).find((f) => f.path === "analyzers.podCensus.minPods");
    expect(flag).toMatchObject({ flag: "--analyzers.pod-census.min-pods", kind: "number" });
    expect(flag?.description).toBe("Namespaces with fewer pods are left out of the census.");
    const config = schema.parse({
      clusters: [{ name: "test", region: "us-east-1" }],
      analyzers: { podCensus: { minPods: flagValue(flag!, "2") } },
    }) as unknown as Config;
    const ctx = { ...testContext(), config };

    const run = await analyze(ctx, store, undefined, registry);
    await report(ctx, store, run, out, ["html", "md", "json", "csv"], registry);

    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain('<h2 id="pod-census">Pod census</h2>');
    expect(html).toContain("<li>team-a: 2 pods</li>");
    expect(html).not.toContain("team-b: 1 pods"); // minPods 2, from the flag, reached the SQL
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("## Pod census\n\nAt least 2 pods: team-a 2 pods.");
    expect(md).toContain("| … pod census | $1.50 |");
    expect(md).toContain("- The pod census counts namespaces with at least 2 pods.");
    // After the product's sections: the registry's order.
    expect(md.indexOf("## Pod census")).toBeGreaterThan(md.indexOf("## Reconciliation with the bill"));
    const json = JSON.parse(readFileSync(join(out, "recommendations.json"), "utf8"));
    expect(json.podCensus).toEqual([{ cluster: "test", namespace: "team-a", pods: 2 }]);
    expect(json.summary.savingsByCategoryUsd.podCensus).toEqual({
      usd: 1.5,
      status: "computed",
      reason: "pod census",
      confidence: null,
    });
    expect(readFileSync(join(out, "pod-census.csv"), "utf8")).toBe("cluster,namespace,pods\ntest,team-a,2\n");
    // Its mart is kept with the others, under the run's id.
    expect(await store.all("SELECT run_id, namespace, pods FROM mart_pod_census")).toEqual([
      { run_id: run.run_id, namespace: "team-a", pods: 2n },
    ]);
  });
});
