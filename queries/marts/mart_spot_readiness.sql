-- Spot readiness per workload, every reason listed (Kubecost's checklist, with EKS's rules):
-- a Deployment, Rollout, Job or CronJob (not a StatefulSet, DaemonSet or bare pod); at least
-- analyzers.spot.minReplicas replicas (or HPA minimum); a PDB no stricter than
-- maxPdbMinAvailableShare of the replicas (or maxUnavailable ≥ 1); no PVC or hostPath; a
-- termination grace within maxTerminationGraceSeconds (the notice is two minutes); no
-- karpenter.sh/do-not-disrupt or safe-to-evict "false"; not kube-system. An emptyDir is a warning
-- (its content is lost on interruption), and so is a termination grace not collected. The
-- override annotation capacity.io/spot-ready "true" | "false" decides over the checklist.
-- status: ready | not_ready | at_risk (not ready, yet pods run on spot: priced as the on-demand
-- premium of moving them, monthly_cost_usd) | not_eligible (on Fargate: no Fargate Spot on EKS;
-- a DaemonSet: it runs on every node and follows them).
with settings as (
  select
    getvariable('spot_min_replicas')::int as min_replicas,
    getvariable('spot_max_pdb_min_available_share')::double as max_pdb_share,
    getvariable('spot_max_termination_grace_seconds')::int as max_grace
),
-- Pod-hours on spot nodes, on their keys (queries/macros/keys.sql), per workload, then named.
spot_hours as (
  select w.cluster, w.namespace, w.workload_kind, w.workload_name, s.premium_usd, s.unpriced_hours
  from (
    select
      p.workload_key,
      sum((pod_charged(p.cpu_request_cores, p.cpu_usage_cores) * n.usd_per_core_hour
        + pod_charged(p.memory_request_gib, p.memory_usage_gib) * n.usd_per_gib_hour) * least(p.pod_hours, n.node_hours)
        * (o.on_demand_usd_per_hour / nullif(n.price_usd_per_hour, 0) - 1)) as premium_usd,
      count(*) filter (where o.on_demand_usd_per_hour is null or n.price_usd_per_hour is null) as unpriced_hours
    from int_pod_hours_keyed as p
    join int_node_hours_priced as n on n.node_key = p.node_key and n.hour = p.hour
    join int_node_prices as o on o.cluster = n.cluster and o.node_name = n.node_name
    where n.capacity_type = 'spot'
    group by p.workload_key
  ) as s
  join int_workload_keys as w using (workload_key)
),
checked as (
  select
    t.*,
    greatest(coalesce(t.hpa_min_replicas, 0), coalesce(t.replicas_desired, t.pods)) as replicas,
    list_filter([
      case when t.workload_kind not in ('Deployment', 'Rollout', 'Job', 'CronJob') then
        case t.workload_kind when 'Pod' then 'a bare pod: nothing recreates it after an interruption'
          else format('a {}: not interruption-tolerant', t.workload_kind) end end,
      case when t.workload_kind in ('Deployment', 'Rollout')
        and greatest(coalesce(t.hpa_min_replicas, 0), coalesce(t.replicas_desired, t.pods)) < x.min_replicas then
        format('{} replica(s): an interruption takes it down', greatest(coalesce(t.hpa_min_replicas, 0), coalesce(t.replicas_desired, t.pods))) end,
      case when t.pdb_max_unavailable is not null and t.pdb_max_unavailable < 1 then
        format('PDB {} allows no pod to be unavailable', t.pdb_name)
        when t.pdb_min_available is not null and t.pdb_max_unavailable is null
          and t.pdb_min_available > x.max_pdb_share * greatest(coalesce(t.hpa_min_replicas, 0), coalesce(t.replicas_desired, t.pods)) then
        format('PDB {} keeps {} of {} replicas available (more than {}%)', t.pdb_name, t.pdb_min_available,
          greatest(coalesce(t.hpa_min_replicas, 0), coalesce(t.replicas_desired, t.pods)), round(x.max_pdb_share * 100)::bigint) end,
      case when t.has_pvc then 'mounts a PVC (an EBS volume is zonal and re-attaches slowly)' end,
      case when t.has_host_path then 'mounts a hostPath volume' end,
      case when t.termination_grace_seconds > x.max_grace then
        format('terminationGracePeriodSeconds {} s is longer than the two-minute notice', t.termination_grace_seconds) end,
      case when t.do_not_disrupt then 'karpenter.sh/do-not-disrupt is set' end,
      case when t.not_safe_to_evict then 'cluster-autoscaler.kubernetes.io/safe-to-evict is "false"' end,
      case when t.namespace = 'kube-system' then 'runs in kube-system' end
    ], r -> r is not null) as blockers,
    list_filter([
      case when t.has_empty_dir then 'uses an emptyDir: what it holds is lost on interruption' end,
      case when t.termination_grace_seconds is null then 'termination grace not collected: unknown' end
    ], r -> r is not null) as warnings
  from int_spot_workload_traits as t
  cross join settings as x
),
decided as (
  select
    c.*,
    case c.spot_ready_override when 'true' then true when 'false' then false else len(c.blockers) = 0 end as spot_ready
  from checked as c
)
select
  d.cluster,
  d.namespace,
  d.workload_kind,
  d.workload_name,
  d.pods,
  d.pods_on_spot,
  d.capacity_pool,
  d.replicas,
  d.spot_ready,
  d.blockers,
  d.warnings,
  case
    when d.pods_on_fargate = d.pods or d.workload_kind = 'DaemonSet' then 'not_eligible'
    when not d.spot_ready and d.pods_on_spot > 0 then 'at_risk'
    when d.spot_ready then 'ready'
    else 'not_ready'
  end as status,
  case
    when d.pods_on_fargate = d.pods then 'runs on Fargate: EKS has no Fargate Spot'
    when d.workload_kind = 'DaemonSet' then 'a DaemonSet runs a pod on every node, spot ones included: it follows its nodes'
    when d.spot_ready_override = 'true' then 'capacity.io/spot-ready is "true"'
      || case when len(d.blockers) > 0 then ' (over: ' || array_to_string(d.blockers, '; ') || ')' else '' end
    when d.spot_ready_override = 'false' then 'capacity.io/spot-ready is "false"'
    when len(d.blockers) = 0 then 'every check passes'
    else array_to_string(d.blockers, '; ')
  end
  || case when not d.spot_ready and d.pods_on_spot > 0 and d.workload_kind <> 'DaemonSet' then
    format('; {} of its {} pods run on spot', d.pods_on_spot, d.pods) else '' end as reason,
  -- What moving its spot pod-hours to on-demand costs a month (at risk only).
  case when not d.spot_ready and d.pods_on_spot > 0 and d.workload_kind <> 'DaemonSet' then coalesce(h.premium_usd, 0) * w.monthly_factor end
    as monthly_cost_usd
from decided as d
left join spot_hours as h using (cluster, namespace, workload_kind, workload_name)
cross join int_window as w
