-- Fargate ↔ EC2 placement, one row per workload (DaemonSets aside: Fargate runs none): what it
-- costs a month where it runs and what it would cost on the other side, and where it belongs.
--   On Fargate: its pods' billed sizes × the Fargate rates × its pod-hours.
--   On EC2: its pods' requests × the reference pool's per-core and per-GiB rates (the cost
--     model's split of the node price, int_node_hours_priced), grossed up by the DaemonSet
--     overhead each node of that pool carries (DaemonSet requests ÷ the capacity left beside
--     them, per resource), × its pod-hours. The reference pool is the cluster's on-demand EC2
--     pool with the most node-hours (any EC2 pool when none is on-demand). This prices requests;
--     it is not the node simulator's packing.
-- Recommended: large (its pods take ≥ largeVcpu on average) and steady (pods in ≥ steadyDutyCycle
-- of the hours) and cheaper on EC2 → move_to_ec2;
-- bursty (< burstyDutyCycle, or a Job or CronJob) and cheaper on Fargate, with nothing Fargate
-- cannot run (a PVC: no EBS on Fargate) → move_to_fargate; either only when it saves at least
-- minPlacementSavingShare; else stay, with the reason.
with settings as (
  select
    getvariable('fargate_steady_duty_cycle')::double as steady,
    getvariable('fargate_bursty_duty_cycle')::double as bursty,
    getvariable('fargate_min_placement_saving_share')::double as min_share,
    getvariable('fargate_large_vcpu')::double as large_vcpu
),
fargate_rates as (
  select
    cluster,
    max(price_usd) filter (where unit = 'vCPU-Hours') as usd_per_vcpu_hour,
    max(price_usd) filter (where unit = 'GB-Hours') as usd_per_gb_hour
  from stg_aws__prices
  where product = 'fargate'
  group by cluster
),
pool_hours as (
  select
    cluster, capacity_pool,
    bool_or(capacity_type = 'on-demand') as on_demand,
    sum(node_hours) as node_hours,
    sum(vcpu * node_hours) as core_hours,
    sum(memory_gib * node_hours) as gib_hours,
    sum(usd_per_core_hour * node_hours) / nullif(sum(node_hours), 0) as usd_per_core_hour,
    sum(usd_per_gib_hour * node_hours) / nullif(sum(node_hours), 0) as usd_per_gib_hour
  from int_node_hours_priced
  group by all
),
daemonsets as (
  select n.cluster, n.capacity_pool,
    sum(p.cpu_request_cores * p.pod_hours) as ds_core_hours,
    sum(p.memory_request_gib * p.pod_hours) as ds_gib_hours
  from int_pod_hours_keyed as p
  join int_workload_keys as w using (workload_key)
  join int_node_hours_priced as n on n.node_key = p.node_key and n.hour = p.hour
  where w.workload_kind = 'DaemonSet'
  group by all
),
reference_pool as (
  select
    h.cluster,
    arg_max(h.capacity_pool, (h.on_demand::int, h.node_hours)) as capacity_pool
  from pool_hours as h
  group by all
),
pool as (
  select
    h.cluster, h.capacity_pool, h.on_demand, h.usd_per_core_hour, h.usd_per_gib_hour,
    coalesce(d.ds_core_hours, 0) / nullif(h.core_hours - coalesce(d.ds_core_hours, 0), 0) as cpu_overhead,
    coalesce(d.ds_gib_hours, 0) / nullif(h.gib_hours - coalesce(d.ds_gib_hours, 0), 0) as memory_overhead
  from reference_pool as r
  join pool_hours as h using (cluster, capacity_pool)
  left join daemonsets as d using (cluster, capacity_pool)
),
-- Pod-hours on their keys (queries/macros/keys.sql), summed per workload, then named.
fargate_pods as (
  select distinct pod_key(cluster, namespace, pod_name) as pod_key from int_fargate_pod_sizes
),
-- Fargate's size once per distinct pair of requests (a few hundred), not once per pod-hour.
sizes as (
  select cpu_request_cores, memory_request_gib, fargate_size(cpu_request_cores, memory_request_gib * 1073741824) as size
  from (select distinct cpu_request_cores, memory_request_gib from int_pod_hours_keyed)
),
-- Read twice below and not materialized: computed twice, it costs no more CPU than writing its
-- 3.36 M rows (at 10,000 pods) to a 240 MB buffer once, and that buffer was the model's peak memory.
pod_hours as not materialized (
  select
    p.*,
    f.pod_key is not null as on_fargate,
    s.size.vcpu as size_vcpu,
    s.size.memory_gib as size_memory_gib
  from int_pod_hours_keyed as p
  join int_workload_keys as w using (workload_key)
  join sizes as s using (cpu_request_cores, memory_request_gib)
  left join fargate_pods as f using (pod_key)
  where w.workload_kind <> 'DaemonSet'
),
fargate_billed as (
  select pod_key(cluster, namespace, pod_name) as pod_key, hour, billed_vcpu, billed_memory_gib from int_fargate_pod_hours
),
-- The hours any of its pods ran, counted after a distinct on integers (a count(distinct) per group is slower).
active_hours as (
  select workload_key, count(*) as active_hours
  from (select distinct workload_key, hour from pod_hours)
  group by workload_key
),
workloads_keyed as (
  select
    h.workload_key,
    sum(h.pod_hours) as pod_hours,
    sum(h.pod_hours) filter (where h.on_fargate) as fargate_pod_hours,
    sum(h.cpu_request_cores * h.pod_hours) / sum(h.pod_hours) as cpu_request_cores,
    sum(h.memory_request_gib * h.pod_hours) / sum(h.pod_hours) as memory_request_gib,
    sum(coalesce(b.billed_vcpu, h.size_vcpu) * h.pod_hours) as vcpu_hours,
    sum(coalesce(b.billed_memory_gib, h.size_memory_gib) * h.pod_hours) as gb_hours,
    bool_or(h.size_vcpu is null and b.billed_vcpu is null) as too_large_for_fargate,
    sum(h.cpu_request_cores * h.pod_hours) as core_hours,
    sum(h.memory_request_gib * h.pod_hours) as gib_hours
  from pod_hours as h
  left join fargate_billed as b using (pod_key, hour)
  group by h.workload_key
  having sum(h.pod_hours) > 0
),
workloads as (
  select w.cluster, w.namespace, w.workload_kind, w.workload_name, k.* exclude (workload_key), a.active_hours
  from workloads_keyed as k
  join int_workload_keys as w using (workload_key)
  join active_hours as a using (workload_key)
),
volumes as (
  select cluster, namespace, workload_kind, workload_name, bool_or(json_array_length(pvc_names) > 0) as has_pvc
  from stg_kubernetes__pods
  group by all
),
costed as (
  select
    w.*,
    coalesce(w.fargate_pod_hours, 0) * 2 > w.pod_hours as on_fargate,
    w.active_hours / x.hours_in_window as duty_cycle,
    w.pod_hours / x.hours_in_window as avg_replicas,
    coalesce(v.has_pvc, false) as has_pvc,
    p.capacity_pool as ec2_pool,
    p.on_demand as ec2_pool_on_demand,
    p.cpu_overhead as daemonset_cpu_overhead,
    p.memory_overhead as daemonset_memory_overhead,
    case when not w.too_large_for_fargate then
      (w.vcpu_hours * r.usd_per_vcpu_hour + w.gb_hours * r.usd_per_gb_hour) * x.monthly_factor end
      as fargate_monthly_usd,
    (w.core_hours * p.usd_per_core_hour * (1 + coalesce(p.cpu_overhead, 0))
      + w.gib_hours * p.usd_per_gib_hour * (1 + coalesce(p.memory_overhead, 0))) * x.monthly_factor as ec2_monthly_usd
  from workloads as w
  left join volumes as v using (cluster, namespace, workload_kind, workload_name)
  left join pool as p using (cluster)
  left join fargate_rates as r using (cluster)
  cross join int_window as x
),
decided as (
  select
    c.*,
    s.*,
    x.hours_in_window,
    case when c.on_fargate then c.fargate_monthly_usd else c.ec2_monthly_usd end as current_monthly_usd,
    case when c.on_fargate then c.ec2_monthly_usd else c.fargate_monthly_usd end as other_monthly_usd,
    c.workload_kind in ('Job', 'CronJob') or c.duty_cycle < s.bursty as is_bursty,
    c.duty_cycle >= s.steady as is_steady,
    c.vcpu_hours / x.hours_in_window >= s.large_vcpu as is_large
  from costed as c
  cross join settings as s
  cross join int_window as x
),
recommended as (
  select
    *,
    case
      when current_monthly_usd is null or other_monthly_usd is null then 'unpriced'
      when on_fargate and is_steady and is_large and other_monthly_usd <= current_monthly_usd * (1 - min_share) then 'move_to_ec2'
      when not on_fargate and is_bursty and not has_pvc
        and other_monthly_usd <= current_monthly_usd * (1 - min_share) then 'move_to_fargate'
      when on_fargate then 'stay_on_fargate'
      else 'stay_on_ec2'
    end as status
  from decided
)
select
  cluster,
  namespace,
  workload_kind,
  workload_name,
  case when on_fargate then 'fargate' else 'ec2' end as runs_on,
  status,
  case status
    when 'unpriced' then case
      when too_large_for_fargate then 'its pods need more than Fargate offers (16 vCPU / 120 GB)'
      when ec2_pool is null then 'no priced EC2 pool in the cluster to compare with'
      else 'no Fargate price for the region' end
    when 'move_to_ec2' then format(
      'large and steady ({:.2f} vCPU, pods in {}% of the hours, {:.2f} replicas on average): {} on EC2 pool {} against {} on Fargate',
      vcpu_hours / hours_in_window, round(duty_cycle * 100)::bigint, avg_replicas,
      '$' || round(other_monthly_usd, 2), ec2_pool, '$' || round(current_monthly_usd, 2))
    when 'move_to_fargate' then format(
      '{} (pods in {}% of the hours): {} on Fargate against {} on EC2 pool {}, paying only while it runs; Fargate runs no DaemonSets, GPUs or EBS volumes, starts a pod in about a minute and includes 20 GiB of ephemeral storage',
      case when workload_kind in ('Job', 'CronJob') then 'a ' || workload_kind else 'bursty' end,
      round(duty_cycle * 100)::bigint, '$' || round(other_monthly_usd, 2), '$' || round(current_monthly_usd, 2), ec2_pool)
    when 'stay_on_fargate' then format(
      '{} on Fargate, {} on EC2 pool {}: {}',
      '$' || round(current_monthly_usd, 2), '$' || round(other_monthly_usd, 2), ec2_pool,
      case
        when other_monthly_usd > current_monthly_usd * (1 - min_share) then 'EC2 would not save enough'
        when not is_steady then format('not steady enough to move (pods in {}% of the hours)', round(duty_cycle * 100)::bigint)
        else format('small ({:.2f} vCPU on average): not worth a share of a node', vcpu_hours / hours_in_window)
      end)
    else format(
      '{} on EC2 pool {}, {} on Fargate: {}',
      '$' || round(current_monthly_usd, 2), ec2_pool, '$' || round(other_monthly_usd, 2),
      case
        when has_pvc then 'it mounts a PVC (Fargate runs no EBS volumes)'
        when not is_bursty then format('steady enough for EC2 (pods in {}% of the hours)', round(duty_cycle * 100)::bigint)
        else 'Fargate would not save enough'
      end)
  end as reason,
  duty_cycle,
  avg_replicas,
  cpu_request_cores,
  memory_request_gib,
  has_pvc,
  ec2_pool,
  daemonset_cpu_overhead,
  daemonset_memory_overhead,
  fargate_monthly_usd,
  ec2_monthly_usd,
  current_monthly_usd,
  case when status in ('move_to_ec2', 'move_to_fargate') then current_monthly_usd - other_monthly_usd else 0 end
    as monthly_savings_usd
from recommended
