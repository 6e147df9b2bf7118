-- Things the cluster pays for that nothing uses: bound PVCs no running or pending pod mounts
-- (their EBS cost over the window as a monthly run-rate, the same figure as their allocation line:
-- int_pvc_hours; unknown when their volume type has no price), and LoadBalancer Services without
-- a ready endpoint (a load balancer still billed; no ELB price is collected, so its cost is left
-- unknown rather than guessed).
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
)
select * from pvcs
union all
select * from load_balancers
