/**
 * Off-peak scale-down: workloads whose held capacity stays flat while their demand falls for
 * hours every day, with a schedule to paste; per EC2 pool, the nodes that go off-peak when they
 * scale down (the simulator's re-pack, hour by hour), or what keeps them.
 */
import type { z } from "zod";
import { round } from "../../report/format.js";
import type { Section, SectionInput } from "../analyzer.js";
import { pathSegment } from "../rightsizing/patches.js";
import {
  cronJobPair,
  hourWindow,
  kedaScaledObject,
  nodegroupMinSizeCommand,
  nodePoolDisruption,
} from "./schedule.js";
import type { offpeakSettings } from "./settings.js";

const WORKLOADS = {
  cluster: "string",
  namespace: "string",
  workload_kind: "string",
  workload_name: "string",
  runs_on: "string?",
  capacity_pool: "string?",
  days: "number",
  peak_hour_of_day: "number",
  peak_demand_cores: "number",
  trough_share_of_peak: "number?",
  weekend_demand_ratio: "number?",
  demand_by_day_of_week: "string",
  offpeak_hours: "number",
  offpeak_hours_of_day: "string",
  replicas_held_at_peak: "number",
  replicas_held_offpeak: "number",
  replicas_needed_at_peak: "number?",
  replicas_needed_offpeak: "number?",
  recommended_offpeak_replicas: "number",
  hpa_name: "string?",
  hpa_min_replicas: "number?",
  hpa_max_replicas: "number?",
  hpa_cpu_target_percent: "number?",
  status: "string",
  cause: "string?",
  reason: "string",
  monthly_request_savings_usd: "number",
} as const;

const POOLS = {
  cluster: "string",
  capacity_pool: "string",
  pool_kind: "string",
  autoscaler: "string",
  nodes_observed: "number",
  min_size: "number?",
  pinned_nodes: "number",
  offpeak_workloads: "number",
  offpeak_hours_of_day: "string",
  node_hours_held_per_day: "number",
  node_hours_needed_per_day: "number",
  node_hours_saved_per_day: "number",
  node_hours_blocked_per_day: "number",
  fewest_nodes_needed: "number",
  monthly_savings_usd: "number",
  monthly_blocked_usd: "number",
  status: "string",
  reason: "string",
} as const;

/** `1:0.98,2:1,…` → the seven days, Monday first, each a share of the busiest day (null: no data that day). */
export function dayShares(text: string): Array<number | null> {
  const days: Array<number | null> = Array(7).fill(null);
  for (const part of text.split(",").filter(Boolean)) {
    const [day, share] = part.split(":");
    if (share) days[Number(day) - 1] = Number(share);
  }
  return days;
}

const hoursOf = (text: string) => text.split(",").filter(Boolean).map(Number);
const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;

export async function offpeakSection({
  marts,
  settings,
}: SectionInput<z.output<typeof offpeakSettings>>): Promise<Section> {
  const workloads = await marts.read("mart_offpeak_workloads", WORKLOADS, [
    { column: "monthly_request_savings_usd", round: 4, desc: true },
    "cluster",
    "namespace",
    "workload_kind",
    "workload_name",
  ]);
  const pools = await marts.read("mart_offpeak_pools", POOLS, [
    { column: "monthly_savings_usd", round: 4, desc: true },
    "cluster",
    "capacity_pool",
  ]);
  const flat = workloads
    .filter((w) => w.status === "flat_offpeak")
    .map((w) => {
      const window = hourWindow(hoursOf(w.offpeakHoursOfDay))!;
      const ref = { namespace: w.namespace, kind: w.workloadKind, name: w.workloadName };
      const peak = w.hpaMinReplicas ?? Math.round(w.replicasHeldAtPeak);
      const cpuTarget = w.hpaCpuTargetPercent ?? Math.round(settings.targetUtilization * 100);
      return {
        ...w,
        window: `${hh(window.start)}–${hh(window.end)} UTC`,
        cronJobs: cronJobPair(ref, window, w.recommendedOffpeakReplicas, peak, w.hpaName)
          .trimEnd()
          .split("\n"),
        keda: kedaScaledObject(
          ref,
          window,
          w.recommendedOffpeakReplicas,
          peak,
          w.hpaMaxReplicas ?? peak,
          cpuTarget,
        )
          .trimEnd()
          .split("\n"),
        windowStartHour: window.start,
        windowEndHour: window.end,
      };
    });
  const poolViews = pools.map((p) => ({
    ...p,
    pasteLanguage: p.status === "consolidation_disabled" ? "yaml" : "sh",
    paste:
      p.status === "blocked_min_size" || (p.minSize !== null && p.nodeHoursBlockedPerDay > 0)
        ? nodegroupMinSizeCommand(p.cluster, p.capacityPool, p.fewestNodesNeeded)
        : p.status === "consolidation_disabled"
          ? nodePoolDisruption(p.capacityPool).trimEnd()
          : null,
  }));
  const savingsUsd = pools.reduce((a, p) => a + p.monthlySavingsUsd, 0);
  const blockedUsd = pools.reduce((a, p) => a + p.monthlyBlockedUsd, 0);
  const scaling = pools.filter((p) => p.status === "scale_down");
  const savings =
    pools.length === 0
      ? { monthlyUsd: null, reason: "no EC2 capacity pool in the run" }
      : workloads.length === 0
        ? { monthlyUsd: null, reason: "no hourly usage of any scalable workload: no daily curve" }
        : {
            monthlyUsd: savingsUsd,
            reason: `${flat.length} workloads held flat off-peak; ${scaling.length} of ${pools.length} pools lose nodes off-peak when they scale down (re-packed hour by hour by the node simulator; fairly sure: the daily curve is the p90 of each hour over ${Math.max(...workloads.map((w) => w.days))} days)${blockedUsd > 0 ? `; ${round(blockedUsd, 2)} USD a month more is kept by min sizes, a missing autoscaler or disabled consolidation` : ""}`,
          };
  const byStatus = (s: string) => workloads.filter((w) => w.status === s).length;
  return {
    view: {
      flat,
      // One schedule shown in the Markdown; every one is a file under schedules/ and in recommendations.json.
      top: flat.slice(0, 1),
      scheduleFiles: flat.length,
      pools: poolViews.map((p) => ({ ...p, pasteLines: p.paste ? p.paste.split("\n") : [] })),
      counts: {
        flat: flat.length,
        atFloor: byStatus("at_floor"),
        scales: byStatus("scales"),
        noOffpeak: byStatus("no_offpeak"),
        insufficient: byStatus("insufficient_data"),
      },
      savingsUsd,
      blockedUsd,
      peakSharePercent: Math.round(settings.peakShare * 100),
      minHours: settings.minHours,
    },
    savings: { category: "offpeak", label: "off-peak scale-down", confidence: "fairly sure", ...savings },
    recommendations: {
      offpeak: {
        workloads: workloads.map((w) => {
          const f = flat.find(
            (x) =>
              x.cluster === w.cluster &&
              x.namespace === w.namespace &&
              x.workloadKind === w.workloadKind &&
              x.workloadName === w.workloadName,
          );
          return {
            cluster: w.cluster,
            namespace: w.namespace,
            workloadKind: w.workloadKind,
            workloadName: w.workloadName,
            capacityPool: w.capacityPool,
            status: w.status,
            cause: w.cause,
            reason: w.reason,
            peakHourOfDay: w.peakHourOfDay,
            peakDemandCores: round(w.peakDemandCores),
            troughShareOfPeak: w.troughShareOfPeak === null ? null : round(w.troughShareOfPeak),
            weekendDemandRatio: w.weekendDemandRatio === null ? null : round(w.weekendDemandRatio),
            demandByDayOfWeek: dayShares(w.demandByDayOfWeek),
            offpeakHoursOfDay: hoursOf(w.offpeakHoursOfDay),
            replicasHeldAtPeak: round(w.replicasHeldAtPeak),
            replicasHeldOffpeak: round(w.replicasHeldOffpeak),
            replicasNeededOffpeak: w.replicasNeededOffpeak,
            recommendedOffpeakReplicas: w.recommendedOffpeakReplicas,
            hpa: w.hpaName
              ? { name: w.hpaName, minReplicas: w.hpaMinReplicas, maxReplicas: w.hpaMaxReplicas }
              : null,
            schedule: f ? { startHourUtc: f.windowStartHour, endHourUtc: f.windowEndHour } : null,
            cronJobs: f ? f.cronJobs.join("\n") : null,
            kedaScaledObject: f ? f.keda.join("\n") : null,
            monthlyRequestSavingsUsd: round(w.monthlyRequestSavingsUsd),
          };
        }),
        pools: poolViews.map((p) => ({
          cluster: p.cluster,
          pool: p.capacityPool,
          kind: p.poolKind,
          autoscaler: p.autoscaler,
          nodesObserved: p.nodesObserved,
          minSize: p.minSize,
          pinnedNodes: p.pinnedNodes,
          offpeakWorkloads: p.offpeakWorkloads,
          offpeakHoursOfDay: hoursOf(p.offpeakHoursOfDay),
          nodeHoursHeldPerDay: round(p.nodeHoursHeldPerDay),
          nodeHoursNeededPerDay: round(p.nodeHoursNeededPerDay),
          nodeHoursSavedPerDay: round(p.nodeHoursSavedPerDay),
          nodeHoursBlockedPerDay: round(p.nodeHoursBlockedPerDay),
          fewestNodesNeeded: p.fewestNodesNeeded,
          monthlySavingsUsd: round(p.monthlySavingsUsd),
          monthlyBlockedUsd: round(p.monthlyBlockedUsd),
          status: p.status,
          reason: p.reason,
          paste: p.paste,
        })),
        monthlySavingsUsd: round(savingsUsd),
      },
    },
    csv: {
      file: "offpeak.csv",
      columns: [
        { name: "cluster" },
        { name: "namespace" },
        { name: "workloadKind" },
        { name: "workloadName" },
        { name: "capacityPool" },
        { name: "status" },
        { name: "cause" },
        { name: "offpeakHours" },
        { name: "offpeakHoursOfDay" },
        { name: "replicasHeldAtPeak", digits: 2 },
        { name: "replicasHeldOffpeak", digits: 2 },
        { name: "recommendedOffpeakReplicas" },
        { name: "monthlyRequestSavingsUsd", digits: 2 },
        { name: "reason" },
      ],
      rows: workloads,
    },
    // A CronJob pair per workload held flat off-peak, ready for `kubectl apply -f`.
    files: flat.map((f) => ({
      path: [
        "schedules",
        pathSegment(f.cluster),
        pathSegment(f.namespace),
        `${pathSegment(f.workloadName)}.yaml`,
      ],
      content: `${f.cronJobs.join("\n")}\n`,
    })),
    caveats: workloads.length
      ? [
          "Off-peak demand is CPU usage per hour of the day (UTC) as the HPA sees it; memory that does not fall with traffic can still hold replicas up. The off-peak node-hours overlap right-sizing's nodes saved where both act on the same pool: the pools' re-packs use today's requests.",
        ]
      : [],
  };
}
