/**
 * The demo generator: the committed bundle is exactly what the seed produces (so anyone can
 * regenerate it), and the findings every later analysis relies on are planted in it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_SEED, type DemoBundle, generateDemo, traffic } from "../../scripts/demo/generate.js";
import { readDemoInputs } from "../../scripts/demo/inputs.js";
import { allocatable } from "../../src/core/eks/allocatable.js";
import { projectPath } from "../../src/core/paths.js";

let bundle: DemoBundle;
beforeAll(() => {
  bundle = generateDemo(readDemoInputs(DEMO_SEED));
}, 600_000);

const text = (path: string) => {
  const content = bundle.files.get(path)!;
  return typeof content === "string" ? content : gunzipSync(content).toString("utf8");
};
// biome-ignore lint/suspicious/noExplicitAny: Kubernetes List documents.
const items = (resource: string): any[] => JSON.parse(text(`kubernetes/demo-shop/${resource}.json`)).items;

describe("demo generator", () => {
  it("reproduces the committed bundle byte for byte from its seed", () => {
    for (const [path, content] of bundle.files) {
      const committed = readFileSync(join(projectPath("data", "demo"), path));
      const fresh = typeof content === "string" ? Buffer.from(content) : content;
      expect(committed.equals(fresh), `${path} differs: run npm run make-demo`).toBe(true);
    }
  });

  it("stays under 5 MB", () => {
    const size = [...bundle.files.values()].reduce(
      (a, c) => a + (typeof c === "string" ? Buffer.byteLength(c) : c.length),
      0,
    );
    expect(size).toBeLessThan(5 * 1024 * 1024);
  });

  it("looks like a mid-size EKS cluster: ~40 nodes of four kinds, ~120 workloads in ~10 namespaces", () => {
    const nodes = items("nodes");
    const label = (k: string) => nodes.filter((n) => n.metadata.labels[k] !== undefined).length;
    expect(nodes.length).toBeGreaterThanOrEqual(35);
    expect(nodes.length).toBeLessThanOrEqual(50);
    expect(label("eks.amazonaws.com/nodegroup")).toBeGreaterThan(10);
    expect(
      nodes.filter((n) => n.metadata.labels["karpenter.sh/capacity-type"] === "spot").length,
    ).toBeGreaterThan(8);
    expect(
      nodes.filter((n) => n.metadata.labels["kubernetes.io/arch"] === "arm64").length,
    ).toBeGreaterThanOrEqual(3);
    expect(
      nodes.filter((n) => n.metadata.labels["eks.amazonaws.com/compute-type"] === "fargate").length,
    ).toBeGreaterThanOrEqual(5);
    expect(bundle.facts.workloads).toBeGreaterThanOrEqual(110);
    expect(bundle.facts.namespaces.length).toBeGreaterThanOrEqual(8);
    expect(items("horizontalpodautoscalers").length).toBeGreaterThanOrEqual(5);
    expect(items("poddisruptionbudgets").length).toBeGreaterThanOrEqual(5);
  });

  it("plants an over-provisioned container: cpu 4 / memory 8Gi using about 200m / 500Mi", () => {
    const pod = items("pods").find((p) => p.metadata.name.startsWith("recommendations-"));
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: "4", memory: "8Gi" });
    const rows = text("prometheus/demo-shop/usage_hourly.csv.gz")
      .split("\n")
      .filter((l) => l.includes(",recommendations,") && l.includes(",shop,"));
    const cpu = rows.map((l) => Number(l.split(",")[7]));
    const mean = cpu.reduce((a, b) => a + b, 0) / cpu.length;
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.3);
  });

  it("plants OOM kills on payments/ledger at its 512Mi limit", () => {
    const pod = items("pods").find((p) => p.metadata.name.startsWith("ledger-"));
    expect(pod.status.containerStatuses[0].lastState.terminated.reason).toBe("OOMKilled");
    expect(bundle.facts.oomKilled.oomKills).toBeGreaterThan(10);
    const peaks = text("prometheus/demo-shop/usage_hourly.csv.gz")
      .split("\n")
      .filter((l) => l.includes(",ledger,") && Number(l.split(",")[15]) > 0)
      .map((l) => Number(l.split(",")[11]));
    expect(Math.max(...peaks)).toBe(512 * 1024 * 1024);
  });

  it("plants Fargate pods just over a boundary, with CapacityProvisioned annotations", () => {
    const renderers = items("pods").filter((p) => p.metadata.name.startsWith("report-renderer-"));
    expect(renderers.length).toBe(3);
    for (const p of renderers) {
      expect(p.spec.containers[0].resources.requests).toEqual({ cpu: "1", memory: "8Gi" });
      expect(p.metadata.annotations.CapacityProvisioned).toBe("2vCPU 9GB");
    }
  });

  it("plants an unused PVC, a LoadBalancer with no endpoints, a single-replica Deployment and a StatefulSet on spot", () => {
    const claims = new Set(
      items("pods").flatMap((p) =>
        (p.spec.volumes ?? []).map(
          (v: { persistentVolumeClaim?: { claimName: string } }) => v.persistentVolumeClaim?.claimName,
        ),
      ),
    );
    expect(items("persistentvolumeclaims").some((c) => c.metadata.name === "data-kafka-3")).toBe(true);
    expect(claims.has("data-kafka-3")).toBe(false);
    const lb = items("services").find((s) => s.metadata.name === "legacy-storefront");
    expect(lb.spec.type).toBe("LoadBalancer");
    expect(items("endpoints").find((e) => e.metadata.name === "legacy-storefront").subsets).toBeUndefined();
    expect(items("deployments").find((d) => d.metadata.name === "coupon-service").spec.replicas).toBe(1);
    const spotNodes = new Set(
      items("nodes")
        .filter((n) => n.metadata.labels["karpenter.sh/capacity-type"] === "spot")
        .map((n) => n.metadata.name),
    );
    expect(
      items("pods")
        .filter((p) => p.metadata.name.startsWith("sessions-redis-"))
        .every((p) => spotNodes.has(p.spec.nodeName)),
    ).toBe(true);
  });

  it("plants an HPA whose maxReplicas is too low for the sale: cart runs at its maximum", () => {
    const hpa = items("horizontalpodautoscalers").find((h) => h.metadata.name === "cart");
    expect(hpa.spec.maxReplicas).toBe(5);
    const saleHour = text("prometheus/demo-shop/usage_hourly.csv.gz")
      .split("\n")
      .filter((l) => l.startsWith("2026-11-13T15:00:00Z") && l.includes(",cart,"));
    expect(saleHour.length).toBe(5);
  });

  it("models traffic with a daily cycle, quieter weekends and a 3x sale", () => {
    const h = (iso: string) => (Date.parse(iso) - Date.parse("2026-11-02T00:00:00Z")) / 3_600_000;
    expect(traffic(h("2026-11-04T19:00:00Z"))).toBeGreaterThan(traffic(h("2026-11-04T07:00:00Z")) * 4);
    expect(traffic(h("2026-11-07T19:00:00Z"))).toBeCloseTo(traffic(h("2026-11-06T19:00:00Z")) * 0.8, 2);
    expect(traffic(h("2026-11-13T15:00:00Z")) / traffic(h("2026-11-12T15:00:00Z"))).toBeCloseTo(3, 1);
  });

  it("bills what it priced: Cost Explorer's compute equals the node-hours and Fargate hours it simulated", () => {
    // biome-ignore lint/suspicious/noExplicitAny: recorded responses.
    const pages: any[] = JSON.parse(text("aws/demo-shop/cost-and-usage.json"));
    let compute = 0;
    for (const page of pages) {
      for (const day of page.response.ResultsByTime) {
        for (const g of day.Groups) {
          if (/BoxUsage|SpotUsage|Fargate/.test(g.Keys[1])) compute += Number(g.Metrics.UnblendedCost.Amount);
        }
      }
    }
    expect(compute).toBeCloseTo(bundle.facts.billedComputeUsd, 4);
    expect(pages[0].response.NextPageToken).toBeTruthy();
    expect(pages[1].response.NextPageToken).toBeUndefined();
  });

  it("gives every EC2 node the allocatable src/core/eks computes for its capacity and max pods", () => {
    const nodes = items("nodes").filter(
      (n) => n.metadata.labels["eks.amazonaws.com/compute-type"] !== "fargate",
    );
    expect(nodes.length).toBeGreaterThan(5);
    for (const n of nodes) {
      const vcpu = Number(n.status.capacity.cpu);
      const expected = allocatable({
        vcpu,
        memoryBytes: Number(n.status.capacity.memory.replace("Ki", "")) * 1024,
        maxPods: Number(n.status.capacity.pods),
      });
      expect(n.status.allocatable.cpu).toBe(`${Math.round(expected.cpuCores * 1000)}m`);
      expect(n.status.allocatable.memory).toBe(`${Math.floor(expected.memoryBytes / 1024)}Ki`);
      expect(n.status.allocatable.pods).toBe(String(expected.pods));
    }
  });
});
