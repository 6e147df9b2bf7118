/** Reads what the demo generator needs from data/reference/ (instance specs, prices, Fargate sizes). */
import { readReferenceCsv } from "../../src/core/reference-csv.js";
import type { DemoInputs, InstanceType } from "./generate.js";

export function readDemoInputs(seed: number): DemoInputs {
  const ref = readReferenceCsv;
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
