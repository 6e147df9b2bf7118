/**
 * Paid for, used by nothing: released and available volumes priced as EBS bills them, and
 * workloads scaled to zero that still hold PVCs or an HPA. Four hours of November (EBS prorates
 * the GB-month over its 720 hours); a month is 730 hours.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/services/analyze.js";
import { type Row, Store } from "../../src/store/store.js";
import {
  container,
  costLine,
  GIB,
  node,
  pod,
  price,
  testContext,
  writeScenario,
} from "../fixtures/scenario.js";

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

describe("load balancers, empty namespaces and EBS no PV accounts for", () => {
  // A whole day of November (EBS prorates the GB-month over its 720 hours); a month is 730 hours.
  const DAY = { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" };
  const NLB = { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" };

  function service(namespace: string, name: string, ready: number, annotations: Row, over: Row = {}): Row {
    return {
      cluster: "test",
      namespace,
      name,
      type: "LoadBalancer",
      selector: null,
      ready_endpoints: ready,
      not_ready_endpoints: 0,
      load_balancer: `${name}.elb.us-east-1.amazonaws.com`,
      annotations,
      ...over,
    };
  }

  function ingress(namespace: string, name: string, backends: string[], annotations: Row): Row {
    return {
      cluster: "test",
      namespace,
      name,
      ingress_class: "alb",
      backend_services: backends,
      load_balancer: `k8s-${name}.elb.us-east-1.amazonaws.com`,
      annotations,
    };
  }

  async function rows() {
    await writeScenario(store, DAY, {
      k8s_nodes: [
        node("ip-a", "m5.xlarge", { zone: "us-east-1a" }),
        node("ip-b", "m5.xlarge", { zone: "us-east-1b" }),
        node("ip-c", "m5.xlarge", { zone: "us-east-1c" }),
      ],
      k8s_pods: [pod("shop", "web-1", "ip-a")],
      k8s_containers: [container("shop", "web-1", 0.5, GIB)],
      k8s_namespaces: ["shop", "web", "data", "quiet"].map((name) => ({ cluster: "test", name, labels: {} })),
      k8s_services: [
        service("shop", "web", 2, NLB),
        service("web", "public-nlb", 0, NLB, { selector: { app: "old-api" } }),
        service("web", "internal-nlb", 0, {
          "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        }),
        service("web", "classic", 0, {}),
      ],
      k8s_ingresses: [
        ingress("web", "old-api", ["public-nlb"], { "alb.ingress.kubernetes.io/scheme": "internet-facing" }),
        // One ALB for the group: a Service of it has ready endpoints, so it serves.
        ingress("shop", "a", ["web"], { "alb.ingress.kubernetes.io/group.name": "shared" }),
        ingress("web", "b", ["classic"], { "alb.ingress.kubernetes.io/group.name": "shared" }),
        { ...ingress("web", "nginx", ["classic"], {}), ingress_class: "nginx" },
      ],
      k8s_workloads: [
        {
          cluster: "test",
          namespace: "web",
          kind: "Deployment",
          name: "old-api",
          replicas_desired: 0,
          selector: { app: "old-api", tier: "api" },
          pvc_templates: [],
          labels: {},
        },
      ],
      k8s_pvcs: [{ ...pvc("data", "orphan"), requested_bytes: 100n * GIB, capacity_bytes: 100n * GIB }],
      k8s_pvs: [pv("pvc-released", "Released", { capacity_bytes: 50n * GIB })],
      aws_prices: [
        price("ec2", "m5.xlarge", "Hrs", "1.00"),
        price("ebs", "gp3", "GB-Mo", "0.08"),
        price("elb", "network", "Hrs", "0.0225"),
        price("elb", "application", "Hrs", "0.0225"),
        price("ipv4", "public-ipv4", "Hrs", "0.005"),
      ],
      // The bill's EBS: the PVC (100 GiB), the Released PV (50 GiB) and 200 GiB no PV accounts for.
      aws_costs: [costLine("EBS:VolumeUsage.gp3", String((350 * 0.08) / 30))],
    });
    await analyze(testContext(), store);
    return store.all<{
      kind: string;
      namespace: string | null;
      name: string;
      monthly_cost_usd: number | null;
      reason: string;
    }>(
      "SELECT kind, namespace, name, monthly_cost_usd, reason FROM mart_unused_objects ORDER BY kind, namespace, name",
    );
  }

  it("prices a load balancer with no ready endpoint at its type's hour and its public addresses, and never guesses a price", async () => {
    const lbs = (await rows()).filter((r) => r.kind === "load-balancer");
    expect(lbs.map((r) => r.name)).toEqual(["classic", "ingress/old-api", "internal-nlb", "public-nlb"]);
    const [classic, alb, internal, pub] = lbs;
    // The Ingress's internet-facing ALB sends only to a Service with no ready endpoint.
    expect(alb!.monthly_cost_usd).toBeCloseTo((0.0225 + 3 * 0.005) * 730, 10);
    expect(alb!.reason).toContain(
      "Ingress of the AWS Load Balancer Controller whose Services have no ready endpoint",
    );
    expect(alb!.reason).toContain("an Application load balancer at $0.0225/hour");
    // In-tree NLB, internet-facing: $0.0225 + 3 zones × $0.005 an hour.
    expect(pub!.monthly_cost_usd).toBeCloseTo((0.0225 + 3 * 0.005) * 730, 10);
    expect(pub!.reason).toContain(
      "a Network load balancer at $0.0225/hour (pricing-api, plus 3 public IPv4 address(es)",
    );
    // The controller's NLB is internal unless its scheme says otherwise: no public address.
    expect(internal!.monthly_cost_usd).toBeCloseTo(0.0225 * 730, 10);
    expect(internal!.reason).toContain("internal: no public address");
    expect(classic!.monthly_cost_usd).toBeNull();
    expect(classic!.reason).toContain("a Classic load balancer: no price for its type");
  });

  it("gives a workload scaled to zero the load balancers that select its pods", async () => {
    const workload = (await rows()).find((r) => r.kind === "workload")!;
    expect(workload.name).toBe("Deployment/old-api");
    expect(workload.reason).toBe(
      "scaled to zero replicas, still holding 1 LoadBalancer Service(s) (public-nlb)",
    );
    expect(workload.monthly_cost_usd).toBeCloseTo((0.0225 + 3 * 0.005) * 730, 10);
  });

  it("lists namespaces with no running pod that still cost, with what they cost", async () => {
    const namespaces = (await rows()).filter((r) => r.kind === "namespace");
    expect(namespaces.map((r) => r.name)).toEqual(["data", "web"]);
    // data: its unmounted 100 GiB PVC, 24 hours at $0.08 / 720 per GiB-hour, × 730 / 24.
    expect(namespaces[0]!.monthly_cost_usd).toBeCloseTo(((100 * 0.08) / 720) * 730, 8);
    // web: its three priced load balancers (two NLBs and its Ingress's ALB; the shared group's ALB
    // is priced on shop's Ingress); the Classic one is said, not priced.
    expect(namespaces[1]!.monthly_cost_usd).toBeCloseTo((2 * (0.0225 + 3 * 0.005) + 0.0225) * 730, 8);
    expect(namespaces[1]!.reason).toContain(
      "$71.17 for 3 load balancer(s) (1 more load balancer(s) unpriced)",
    );
  });

  it("finds the EBS storage the bill carries beyond the cluster's PVCs and PVs, and says what it may be", async () => {
    const ebs = (await rows()).find((r) => r.kind === "ebs")!;
    // 200 GiB of gp3 for a day of November, as a monthly run-rate.
    expect(ebs.monthly_cost_usd).toBeCloseTo(((200 * 0.08) / 30) * (730 / 24), 8);
    expect(ebs.reason).toContain("node root volumes");
    expect(ebs.reason).toContain("GetCostAndUsageWithResources");
  });
});

describe("a cluster in extended support", () => {
  const DAY = { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" };

  async function clusterRows(version: string, bill: Row[]) {
    await writeScenario(store, DAY, {
      k8s_nodes: [node("ip-a", "m5.xlarge")],
      eks_clusters: [
        {
          cluster: "test",
          eks_name: "shop-prod",
          version,
          support_type: "EXTENDED",
          auto_mode_enabled: false,
          status: "ACTIVE",
          tags: {},
        },
      ],
      aws_prices: [price("ec2", "m5.xlarge", "Hrs", "1.00")],
      aws_costs: bill,
    });
    await analyze(testContext(), store);
    return store.all<{ name: string; monthly_cost_usd: number | null; reason: string }>(
      "SELECT name, monthly_cost_usd, reason FROM mart_unused_objects WHERE kind = 'cluster'",
    );
  }

  it("flags a version past its end of standard support, with the date and the surcharge the bill carries", async () => {
    // 24 cluster-hours at $0.50 on top of the $0.10 fee: $365 a month.
    const rows = await clusterRows("1.31", [costLine("USE1-AmazonEKS-Hours:extendedSupport", "12.0")]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe("shop-prod");
    expect(rows[0]!.monthly_cost_usd).toBeCloseTo(365, 10);
    expect(rows[0]!.reason).toContain(
      "Kubernetes 1.31 is in extended support: its standard support ended 2025-11-26",
    );
    expect(rows[0]!.reason).toContain("EKS upgrades it itself when extended support ends 2026-11-26");
  });

  it("says the surcharge is unknown rather than guessing it, and leaves a version in standard support alone", async () => {
    const [unknown] = await clusterRows("1.33", []);
    expect(unknown!.monthly_cost_usd).toBeNull();
    expect(unknown!.reason).toContain("its surcharge is unknown here");
    store.close();
    store = await Store.open(":memory:", testContext().logger);
    expect(await clusterRows("1.34", [])).toEqual([]);
  });
});
