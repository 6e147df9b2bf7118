/**
 * PLANTED for issue 16 (EBS beyond size, snapshots): objects and bill lines added to the generated
 * demo bundle so that each EBS charge beside a volume's size shows on the demo, modeled per PVC
 * where the cluster's objects determine it and named from the bill where they do not. Called
 * once by generate.ts on the finished files.
 *
 * - StorageClasses: `gp3` (the EBS CSI driver's gp3 at its included 3,000 IOPS and 125 MiB/s),
 *   `kafka-gp3` (gp3 with 4,500 IOPS: the bill's 6,000 IOPS-month above the included, 1,500 on
 *   each of the four Kafka volumes, scripts/demo/bill.ts) and `io2-postgres` (io2 with 2,000
 *   provisioned IOPS);
 * - data/kafka's four PVCs use kafka-gp3; payments/postgres's three 100 GiB PVCs use io2-postgres,
 *   so the bill carries them as EBS:VolumeUsage.io2 (USD 0.125 per GB-month) and
 *   EBS:VolumeP-IOPS.io2 (USD 0.065 per IOPS-month) instead of gp3 storage;
 * - EBS snapshots under the cluster's tag: 400 GB-month (EBS:SnapshotUsage at USD 0.05 per
 *   GB-month, the Standard-tier rate of data/reference/service-prices.csv). Snapshots are not
 *   Kubernetes objects: the reconciliation shows them from the bill, unallocated, with the reason
 *   (the snapshots themselves are planted by bill4.ts).
 * Storage and IOPS prices are those of data/reference/service-prices.csv; every EBS line is
 * prorated over the days of its month, as EBS bills.
 */
type Files = Map<string, string | Buffer>;
// biome-ignore lint/suspicious/noExplicitAny: Kubernetes and Cost Explorer documents.
type Doc = any;

const KAFKA_IOPS = 4500;
const POSTGRES_IOPS = 2000;
const POSTGRES_GIB = 100;
const POSTGRES_VOLUMES = 3;
const SNAPSHOT_GB_MONTH = 400;
const USD = { gp3: 0.08, io2: 0.125, io2Iops: 0.065, snapshot: 0.05 };
const EBS_SERVICE = "EC2 - Other";

/** Plants the StorageClasses, moves the PVCs onto them and edits the bill; returns the USD added to the bill. */
export function plantBillLines(files: Files, cluster: { name: string; region: string }): number {
  const k8s = `kubernetes/${cluster.name}`;
  const storageClass = (name: string, parameters: Record<string, string>) => ({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name, creationTimestamp: "2026-01-12T09:00:00Z" },
    provisioner: "ebs.csi.aws.com",
    parameters,
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  });
  files.set(
    `${k8s}/storageclasses.json`,
    `${JSON.stringify(
      {
        apiVersion: "v1",
        kind: "List",
        metadata: { resourceVersion: "" },
        items: [
          storageClass("gp3", { type: "gp3", "csi.storage.k8s.io/fstype": "ext4" }),
          storageClass("io2-postgres", { type: "io2", iops: String(POSTGRES_IOPS) }),
          storageClass("kafka-gp3", { type: "gp3", iops: String(KAFKA_IOPS) }),
        ],
      },
      null,
      1,
    )}\n`,
  );
  const pvcPath = `${k8s}/persistentvolumeclaims.json`;
  const pvcs = JSON.parse(files.get(pvcPath) as string);
  for (const pvc of pvcs.items as Doc[]) {
    const claim = `${pvc.metadata.namespace}/${pvc.metadata.name}`;
    if (/^data\/data-kafka-\d+$/.test(claim)) pvc.spec.storageClassName = "kafka-gp3";
    if (/^payments\/data-postgres-\d+$/.test(claim)) pvc.spec.storageClassName = "io2-postgres";
  }
  files.set(pvcPath, `${JSON.stringify(pvcs, null, 1)}\n`);
  return plantInBill(files, `aws/${cluster.name}/cost-and-usage.json`);
}

/** Each day of the SERVICE × USAGE_TYPE pages: postgres's volumes as io2 with their IOPS, and the snapshots. */
function plantInBill(files: Files, path: string): number {
  const pages = JSON.parse(files.get(path) as string);
  const amount = (n: number) => n.toFixed(10);
  let addedUsd = 0;
  for (const page of pages.filter((p: Doc) => p.response.GroupDefinitions?.[0]?.Key === "SERVICE")) {
    for (const result of page.response.ResultsByTime) {
      const d = new Date(`${result.TimePeriod.Start}T00:00:00Z`);
      const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      const groups = result.Groups as Doc[];
      const shift = (usageType: string, usd: number, quantity: number, unit: string) => {
        let g = groups.find((x) => x.Keys[1] === usageType);
        if (!g) {
          g = {
            Keys: [EBS_SERVICE, usageType],
            Metrics: {
              UnblendedCost: { Amount: amount(0), Unit: "USD" },
              AmortizedCost: { Amount: amount(0), Unit: "USD" },
              NetAmortizedCost: { Amount: amount(0), Unit: "USD" },
              UsageQuantity: { Amount: amount(0), Unit: unit },
            },
          };
          groups.push(g);
        }
        for (const metric of ["UnblendedCost", "AmortizedCost", "NetAmortizedCost"])
          g.Metrics[metric].Amount = amount(Number(g.Metrics[metric].Amount) + usd);
        g.Metrics.UsageQuantity.Amount = amount(Number(g.Metrics.UsageQuantity.Amount) + quantity);
        addedUsd += usd;
      };
      const gib = POSTGRES_GIB * POSTGRES_VOLUMES;
      shift("EBS:VolumeUsage.gp3", -(gib * USD.gp3) / daysInMonth, -gib / daysInMonth, "GB-Mo");
      shift("EBS:VolumeUsage.io2", (gib * USD.io2) / daysInMonth, gib / daysInMonth, "GB-Mo");
      const iops = POSTGRES_IOPS * POSTGRES_VOLUMES;
      shift("EBS:VolumeP-IOPS.io2", (iops * USD.io2Iops) / daysInMonth, iops / daysInMonth, "IOPS-Mo");
      shift(
        "EBS:SnapshotUsage",
        (SNAPSHOT_GB_MONTH * USD.snapshot) / daysInMonth,
        SNAPSHOT_GB_MONTH / daysInMonth,
        "GB-Mo",
      );
      groups.sort((x, y) => x.Keys[0].localeCompare(y.Keys[0]) || x.Keys[1].localeCompare(y.Keys[1]));
    }
  }
  files.set(path, `${JSON.stringify(pages, null, 1)}\n`);
  return addedUsd;
}
