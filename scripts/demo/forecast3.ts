/**
 * What the forecast's pre-scale plan reads of the demo's objects (issue 18): when each node became
 * Ready and when each pod was scheduled, so that its lead times come from the data
 * (queries/forecast/lead_time_samples.sql). PLANTED, asserted by test/e2e/forecast.test.ts. The
 * spread comes from each object's name, not from the demo's random stream: nothing else moves.
 */

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** A whole number in [lo, hi] from a name (FNV-1a). */
export function spread(name: string, lo: number, hi: number): number {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return lo + (h % (hi - lo + 1));
}

/** PLANTED: a node's Ready condition, 38–85 s after its creation. */
export const readyCondition = (node: string, createdMs: number) => ({
  type: "Ready",
  status: "True",
  reason: "KubeletReady",
  lastTransitionTime: iso(createdMs + spread(node, 38, 85) * 1000),
});

/** PLANTED: a pod's PodScheduled condition, 1–12 s after its creation (its containers start at 20 s). */
export const scheduledCondition = (pod: string, createdMs: number) => ({
  type: "PodScheduled",
  status: "True",
  lastTransitionTime: iso(createdMs + spread(pod, 1, 12) * 1000),
});
