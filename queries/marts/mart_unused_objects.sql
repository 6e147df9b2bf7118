-- Things the cluster pays for that nothing uses: bound PVCs no running or pending pod mounts
-- (their EBS cost over the window as a monthly run-rate, the same figure as their allocation line:
-- int_pvc_hours; unknown when their volume type has no price), and LoadBalancer Services without
-- a ready endpoint (a load balancer still billed; no ELB price is collected, so its cost is left
-- unknown rather than guessed: no ELB hourly price is in data/reference with its source).
-- Also: persistent volumes Released or Available (still billed by EBS, bound to no claim, and not
-- in the cluster's cost total, which counts bound PVCs), priced by the hour like a PVC; and
-- workloads scaled to zero that still hold PVCs (a StatefulSet's claims, named
-- <template>-<name>-<ordinal>) or an HPA, unpriced here (their PVCs are priced on their own rows).
with pvc_costs as (
  select cluster, namespace, pvc_name, sum(cost_usd) as cost_usd
  from int_pvc_hours
  group by all
),
pvcs as (
  select
    v.cluster,
    'pvc' as kind,
    v.namespace,
    v.pvc_name as name,
    (v.size_gib * 1073741824)::bigint as size_bytes,
    v.storage_class,
    case when v.usd_per_gb_month is not null then coalesce(c.cost_usd, 0) * w.monthly_factor end as monthly_cost_usd,
    'bound, but no running pod mounts it'
      || coalesce(' (' || coalesce(v.storage_class, v.volume_type) || ', ' || round(v.size_gib, 1) || ' GiB)', '') as reason
  from int_pvc_volumes as v
  left join pvc_costs as c using (cluster, namespace, pvc_name)
  cross join int_window as w
  where not v.mounted
),
load_balancers as (
  select
    cluster,
    'load-balancer' as kind,
    namespace,
    service_name as name,
    null::bigint as size_bytes,
    null as storage_class,
    null::double as monthly_cost_usd,
    'LoadBalancer Service with no ready endpoint' || coalesce(' (' || load_balancer || ')', '') as reason
  from stg_kubernetes__services
  where service_type = 'LoadBalancer' and ready_endpoints = 0
),
ebs as (
  select cluster, instance_type as volume_type, max(price_usd) as usd_per_gb_month
  from stg_aws__prices
  where product = 'ebs'
  group by all
),
window_hours as (
  select unnest(generate_series(window_start, window_end - interval 1 hour, interval 1 hour)) as hour
  from int_window
),
pv_costs as (
  select
    v.cluster, v.volume_name,
    sum(ebs_usd_per_hour(v.capacity_bytes / 1073741824.0, e.usd_per_gb_month, h.hour)
      * least(1.0, greatest(0.0, (epoch(h.hour + interval 1 hour) - epoch(coalesce(v.created_at, h.hour))) / 3600.0))) as cost_usd
  from stg_kubernetes__pvs as v
  join ebs as e on e.cluster = v.cluster and e.volume_type = ebs_volume_type(v.storage_class, v.csi_driver)
  join window_hours as h on v.created_at is null or h.hour + interval 1 hour > v.created_at
  group by all
),
volumes as (
  select
    v.cluster,
    'pv' as kind,
    v.claim_namespace as namespace,
    v.volume_name as name,
    v.capacity_bytes as size_bytes,
    v.storage_class,
    c.cost_usd * w.monthly_factor as monthly_cost_usd,
    format('{} volume, bound to no claim{}: EBS still bills it ({} GiB{}){}', v.phase,
      coalesce(' (was ' || v.claim_namespace || '/' || v.claim_name || ')', ''),
      round(v.capacity_bytes / 1073741824.0, 1),
      coalesce(', ' || ebs_volume_type(v.storage_class, v.csi_driver), ''),
      case when c.cost_usd is null then '; no EBS price for its type' else '; not in the cluster cost total' end) as reason
  from stg_kubernetes__pvs as v
  left join pv_costs as c using (cluster, volume_name)
  cross join int_window as w
  where v.phase in ('Released', 'Available')
),
statefulset_claims as (
  select w.cluster, w.namespace, w.workload_kind, w.workload_name, count(p.pvc_name) as pvcs
  from stg_kubernetes__workloads as w
  join stg_kubernetes__pvcs as p
    on p.cluster = w.cluster and p.namespace = w.namespace
    and exists (
      select 1 from (select unnest(from_json(w.pvc_templates, '[{"name":"VARCHAR"}]')) as t)
      where p.pvc_name like t.name || '-' || w.workload_name || '-%'
    )
  group by all
),
scaled_to_zero as (
  select
    w.cluster,
    'workload' as kind,
    w.namespace,
    w.workload_kind || '/' || w.workload_name as name,
    null::bigint as size_bytes,
    null as storage_class,
    null::double as monthly_cost_usd,
    'scaled to zero replicas, still holding '
      || array_to_string(list_filter([
        case when coalesce(c.pvcs, 0) > 0 then c.pvcs || ' PVC(s) (priced on their own rows)' end,
        case when w.hpa_name is not null then 'HPA ' || w.hpa_name end
      ], x -> x is not null), ' and ') as reason
  from stg_kubernetes__workloads as w
  left join statefulset_claims as c using (cluster, namespace, workload_kind, workload_name)
  where w.replicas_desired = 0 and (coalesce(c.pvcs, 0) > 0 or w.hpa_name is not null)
)
select * from pvcs
union all
select * from load_balancers
union all
select * from volumes
union all
select * from scaled_to_zero
