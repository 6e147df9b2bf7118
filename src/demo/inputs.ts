/** Reads what the demo generator needs from data/reference/ (instance specs, prices, Fargate sizes). */
import { readFileSync } from "node:fs";
import { projectPath } from "../core/paths.js";
import type { DemoInputs, InstanceType } from "./generate.js";

export function readCsv(path: string): Array<Record<string, string>> {
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  const header = lines[0]!.split(",");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

export function readDemoInputs(seed: number): DemoInputs {
  const ref = (file: string) => readCsv(projectPath("data", "reference", file));
  const instanceTypes = new Map<string, InstanceType>();
  for (const r of ref("ec2-instance-types.csv")) {
    if (!r.vcpu) continue;
    instanceTypes.set(r.instance_type!, {
      vcpu: Number(r.vcpu),
      memoryGib: Number(r.memory_gib),
      maxPodsEni: Number(r.max_pods_eni),
      maxPodsMng: Number(r.max_pods_mng),
      arch: r.arch!,
    });
  }
  const onDemandUsdPerHour = new Map(
    ref("ec2-ondemand-prices.csv").map((r) => [r.instance_type!, Number(r.usd_per_hour)]),
  );
  const fargate = ref("fargate-prices.csv").find((r) => r.region === "us-east-1" && r.arch === "x86_64")!;
  return {
    seed,
    instanceTypes,
    onDemandUsdPerHour,
    fargateUsdPerVcpuHour: Number(fargate.usd_per_vcpu_hour),
    fargateUsdPerGbHour: Number(fargate.usd_per_gb_hour),
    fargateConfigurations: ref("fargate-configurations.csv").map((r) => ({
      vcpu: Number(r.vcpu),
      memoryGib: Number(r.memory_gib),
    })),
  };
}
