/**
 * Synthetic usage history for the Prometheus benchmark: `workloads` Deployments of `replicas`
 * pods with one container each, over `days`, written as OpenMetrics (streamed: the file is
 * large): cAdvisor's CPU counter and working set and kube_pod_info every `stepSeconds`,
 * kube-state-metrics' requests and restarts every 2 hours (1 % of the containers restart once),
 * CFS counters for a fifth of the containers (a tenth of those throttled). Deterministic: the
 * same arguments write the same file.
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
      // kube-state-metrics' requests and restart counter (every 2 hours: they change rarely and the
      // collector reads them per day); 1 % of the containers restart once, half way.
      const ksm = `${common},container="app",uid="${pod}"`;
      const restarts = (w * 5 + r) % 100 === 0;
      for (let t = start; t <= o.end; t += 7200) {
        buffer += `kube_pod_container_resource_requests{${ksm},resource="cpu",unit="core"} ${(base * 1.5).toFixed(3)} ${t}\n`;
        buffer += `kube_pod_container_resource_requests{${ksm},resource="memory",unit="byte"} ${(256 + (w % 50) * 16) * 1048576} ${t}\n`;
        buffer += `kube_pod_container_status_restarts_total{${ksm}} ${restarts && t > start + (o.end - start) / 2 ? 1 : 0} ${t}\n`;
        samples += 3;
      }
      series += 3;
      // CFS counters for the fifth of the containers with a CPU limit; a tenth of those throttled.
      if (w % 5 === 0) {
        const throttled = w % 50 === 0;
        let periods = 0;
        let throttledPeriods = 0;
        for (let t = start; t <= o.end; t += o.stepSeconds) {
          periods += 10 * o.stepSeconds;
          if (throttled) throttledPeriods += o.stepSeconds;
          buffer += `container_cpu_cfs_periods_total{${common},container="app"} ${periods} ${t}\n`;
          buffer += `container_cpu_cfs_throttled_periods_total{${common},container="app"} ${throttledPeriods} ${t}\n`;
          samples += 2;
        }
        series += 2;
      }
      flush();
    }
  }
  buffer += "# EOF\n";
  flush(true);
  closeSync(fd);
  return { namespaces, pods: o.workloads * o.replicas, series, samples };
}
