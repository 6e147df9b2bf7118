/**
 * Hostile label values against a real Prometheus: namespaces and pods whose names hold quotes,
 * backslashes, line breaks and regex metacharacters are read exactly, and a pod that an unescaped
 * regex would also match is not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrometheusApi } from "../../src/collect/prometheus/client.js";
import { podSelectors, selector } from "../../src/collect/prometheus/queries.js";
import { memoryLogger } from "../../src/core/logger.js";
import { havePrometheus, type RunningPrometheus, startPrometheus } from "../fixtures/prometheus.js";

const available = havePrometheus();
const FROM = Date.parse("2026-11-10T00:00:00Z") / 1000;
const NAMESPACE = 'we"ird\\ns\nx';
const PODS = ["web.1", "a|b", "x(y)*", 'q"t\\u'];
const DECOYS = ["webX1", "a", "b", "xy", "xyyy"];

/** An OpenMetrics label value: backslash, quote and line feed escaped. */
const om = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

let prometheus: RunningPrometheus | undefined;
let api: PrometheusApi;

beforeAll(async () => {
  if (!available) return;
  const lines: string[] = [];
  for (const pod of [...PODS, ...DECOYS]) {
    for (let t = FROM; t <= FROM + 3600; t += 60) {
      lines.push(
        `container_memory_working_set_bytes{cluster="c",namespace="${om(NAMESPACE)}",pod="${om(pod)}",container="app"} 1 ${t}`,
      );
    }
  }
  prometheus = await startPrometheus(`${lines.join("\n")}\n# EOF\n`);
  api = new PrometheusApi({ url: prometheus.url, timeoutSeconds: 30, retries: 0 }, memoryLogger());
}, 600_000);
afterAll(async () => {
  await prometheus?.stop();
});

describe.skipIf(!available)("PromQL escaping against a real Prometheus", () => {
  const window = [new Date((FROM + 60) * 1000), new Date((FROM + 3600) * 1000)] as const;
  const clusterLabel = { name: "cluster", value: "c" };

  it("reads a namespace whose name holds a quote, a backslash and a line break", async () => {
    const pods = await api.labelValues(
      "pod",
      podSelectors({ clusterLabel, namespace: NAMESPACE }).memory,
      ...window,
    );
    expect(pods.sort()).toEqual([...PODS, ...DECOYS].sort());
  });

  it("matches a batch of pods with regex metacharacters exactly, and none of the look-alikes", async () => {
    const pods = await api.labelValues(
      "pod",
      podSelectors({ clusterLabel, namespace: NAMESPACE, pods: PODS }).memory,
      ...window,
    );
    expect(pods.sort()).toEqual([...PODS].sort());
  });

  it("answers a range query over the escaped selector with one series per pod", async () => {
    const series = await api.range(
      `max_over_time(container_memory_working_set_bytes${selector({ clusterLabel, namespace: NAMESPACE, pods: PODS })}[1h])`,
      window[1],
      window[1],
      3600,
    );
    expect(series.map((s) => s.labels.pod).sort()).toEqual([...PODS].sort());
  });
});
