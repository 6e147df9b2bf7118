/**
 * Synthetic usage history for the Prometheus benchmark: `workloads` Deployments of `replicas`
 * pods with one container each, over `days`, sampled every `stepSeconds`, written as OpenMetrics
 * (streamed: the file is large). Deterministic: the same arguments write the same file.
 */
import { closeSync, openSync, writeSync } from "node:fs";

export interface SyntheticUsage {
  namespaces: number;
  pods: number;
  series: number;
  samples: number;
}

export function writeSyntheticUsage(
  path: string,
  o: { workloads: number; replicas: number; days: number; stepSeconds: number; end: number },
): SyntheticUsage {
  const fd = openSync(path, "w");
  let buffer = "";
  const flush = (force = false) => {
    if (force || buffer.length > 4 * 1024 * 1024) {
      writeSync(fd, buffer);
      buffer = "";
    }
  };
  const start = o.end - o.days * 86_400;
  const namespaces = Math.max(1, Math.round(o.workloads / 50));
  let series = 0;
  let samples = 0;
  for (let w = 0; w < o.workloads; w++) {
    const ns = `team-${w % namespaces}`;
    const deployment = `svc-${w}`;
    const hash = (w * 2654435761).toString(36).slice(-8).padStart(8, "x");
    const base = 0.05 + (w % 20) / 40;
    for (let r = 0; r < o.replicas; r++) {
      const pod = `${deployment}-${hash}-${r.toString(36).padStart(5, "q")}`;
      const node = `ip-10-${w % 200}-${r}-1.ec2.internal`;
      const common = `cluster="bench",namespace="${ns}",pod="${pod}"`;
      let cpu = 0;
      for (let t = start; t <= o.end; t += o.stepSeconds) {
        const hour = (t / 3600) % 24;
        const load = base * (0.6 + 0.4 * Math.cos((2 * Math.PI * (hour - 19)) / 24));
        cpu += load * o.stepSeconds;
        buffer += `container_cpu_usage_seconds_total{${common},container="app"} ${cpu.toFixed(3)} ${t}\n`;
        samples++;
      }
      for (let t = start; t <= o.end; t += o.stepSeconds) {
        buffer += `container_memory_working_set_bytes{${common},container="app"} ${Math.round((200 + (w % 50) * 10) * 1048576 * (1 + 0.1 * Math.sin(t / 7200)))} ${t}\n`;
        samples++;
      }
      for (let t = start; t <= o.end; t += o.stepSeconds) {
        buffer += `kube_pod_info{${common},node="${node}"} 1 ${t}\n`;
        samples++;
      }
      series += 3;
      flush();
    }
  }
  buffer += "# EOF\n";
  flush(true);
  closeSync(fd);
  return { namespaces, pods: o.workloads * o.replicas, series, samples };
}
