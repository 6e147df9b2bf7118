/**
 * Paid for, used by nothing: released and available volumes priced as EBS bills them, and
 * workloads scaled to zero that still hold PVCs or an HPA. Four hours of November (EBS prorates
 * the GB-month over its 720 hours); a month is 730 hours.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import { type Row, Store } from "../../src/store/store.js";
import { GIB, node, price, testContext, writeScenario } from "../fixtures/scenario.js";

const WINDOW = { start: "2026-11-01T00:00:00Z", end: "2026-11-01T04:00:00Z" };

function pv(name: string, phase: string, over: Row = {}): Row {
  return {
    cluster: "test",
    name,
    storage_class: "gp3",
    phase,
    capacity_bytes: 100n * GIB,
    csi_driver: "ebs.csi.aws.com",
    created_at: "2026-10-01T00:00:00Z",
    ...over,
  };
}

function pvc(namespace: string, name: string): Row {
  return {
    cluster: "test",
    namespace,
    name,
    storage_class: "gp3",
    phase: "Bound",
    requested_bytes: 10n * GIB,
    capacity_bytes: 10n * GIB,
    access_modes: ["ReadWriteOnce"],
    labels: {},
  };
}

let store: Store;
beforeEach(async () => {
  store = await Store.open(":memory:", testContext().logger);
});
afterEach(() => store.close());

async function unused(): Promise<
  Array<{ kind: string; name: string; monthly_cost_usd: number | null; reason: string }>
> {
  await writeScenario(store, WINDOW, {
    k8s_nodes: [node("ip-a", "m5.xlarge")],
    k8s_pvs: [
      pv("pvc-released", "Released", { claim_namespace: "data", claim_name: "old-db-0" }),
      pv("pvc-available", "Available", { storage_class: "efs-sc", csi_driver: "efs.csi.aws.com" }),
      pv("pvc-bound", "Bound", { claim_namespace: "data", claim_name: "live-0" }),
    ],
    k8s_pvcs: [pvc("data", "data-ledger-0"), pvc("data", "data-ledger-1")],
    k8s_workloads: [
      {
        cluster: "test",
        namespace: "data",
        kind: "StatefulSet",
        name: "ledger",
        replicas_desired: 0,
        pvc_templates: [{ name: "data", storageClass: "gp3", bytes: 10 * 1024 ** 3 }],
        labels: {},
      },
      {
        cluster: "test",
        namespace: "web",
        kind: "Deployment",
        name: "old-api",
        replicas_desired: 0,
        hpa_name: "old-api",
        pvc_templates: [],
        labels: {},
      },
      {
        cluster: "test",
        namespace: "web",
        kind: "Deployment",
        name: "idle-ok",
        replicas_desired: 0,
        pvc_templates: [],
        labels: {},
      },
    ],
    aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00"), price("ebs", "gp3", "GB-Mo", "0.08")],
  });
  await analyze(testContext(), store);
  return store.all(
    "SELECT kind, name, monthly_cost_usd, reason FROM mart_unused_objects ORDER BY kind, name",
  );
}

describe("paid for, used by nothing", () => {
  it("prices a Released volume as EBS bills it, and says when a volume's type has no price", async () => {
    const rows = await unused();
    const released = rows.find((r) => r.name === "pvc-released")!;
    expect(released.kind).toBe("pv");
    expect(released.monthly_cost_usd).toBeCloseTo(((100 * 0.08) / 720) * 730, 10);
    expect(released.reason).toBe(
      "Released volume, bound to no claim (was data/old-db-0): EBS still bills it (100.0 GiB, gp3); not in the cluster cost total",
    );
    const available = rows.find((r) => r.name === "pvc-available")!;
    expect(available.monthly_cost_usd).toBeNull();
    expect(available.reason).toContain("no EBS price for its type");
    expect(rows.some((r) => r.name === "pvc-bound")).toBe(false);
  });

  it("lists workloads scaled to zero that still hold PVCs or an HPA, and only those", async () => {
    const rows = await unused();
    const workloads = rows.filter((r) => r.kind === "workload");
    expect(workloads.map((r) => [r.name, r.reason])).toEqual([
      ["Deployment/old-api", "scaled to zero replicas, still holding HPA old-api"],
      ["StatefulSet/ledger", "scaled to zero replicas, still holding 2 PVC(s) (priced on their own rows)"],
    ]);
    // The ledger's claims are priced on their own rows, as PVCs no pod mounts.
    expect(rows.filter((r) => r.kind === "pvc").map((r) => r.name)).toEqual([
      "data-ledger-0",
      "data-ledger-1",
    ]);
  });
});
