/**
 * The pricing collector. Without the Pricing API (offline, denied, or the demo) it prices from
 * the dated snapshot in data/reference/, every row marked source = 'snapshot'.
 */
import { readFileSync } from "node:fs";
import { projectPath } from "../../core/paths.js";
import { type SnapshotPrices, snapshotPriceRows } from "./map.js";

function csvRows(file: string): Array<Record<string, string>> {
  const lines = readFileSync(projectPath("data", "reference", file), "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  const header = lines[0]!.split(",");
  return lines.slice(1).map((l) => {
    const cells = l.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

export function loadSnapshot(region: string): SnapshotPrices {
  const ec2 = new Map(
    csvRows("ec2-ondemand-prices.csv")
      .filter((r) => r.region === region)
      .map((r) => [r.instance_type!, r.usd_per_hour!]),
  );
  const provenance = readFileSync(projectPath("data", "reference", "ec2-ondemand-prices.csv"), "utf8").split(
    "\n",
    1,
  )[0]!;
  const fargate = csvRows("fargate-prices.csv").find((r) => r.region === region && r.arch === "x86_64");
  return {
    ec2,
    ec2AsOf: /as_of (\d{4}-\d{2}-\d{2})/.exec(provenance)?.[1] ?? "snapshot",
    fargate: fargate
      ? { vcpu: fargate.usd_per_vcpu_hour!, gb: fargate.usd_per_gb_hour!, asOf: fargate.as_of! }
      : undefined,
  };
}

export function collectSnapshotPrices(
  cluster: string,
  region: string,
  instanceTypes: readonly string[],
  fetchedAt: string,
) {
  return snapshotPriceRows(loadSnapshot(region), cluster, region, instanceTypes, fetchedAt);
}
