-- Things the cluster pays for that nothing uses: bound PVCs no running or pending pod mounts
-- (priced at the EBS GB-month price of their volume type, see int_pvc_volumes, when known), and LoadBalancer Services without a ready endpoint (a load balancer still billed; no
-- ELB price is collected, so its cost is left unknown rather than guessed).
with pvcs as (
  select
    cluster,
    'pvc' as kind,
    namespace,
    pvc_name as name,
    (size_gib * 1073741824)::bigint as size_bytes,
    storage_class,
    size_gib * usd_per_gb_month as monthly_cost_usd,
    'bound, but no running pod mounts it'
      || coalesce(' (' || coalesce(storage_class, volume_type) || ', ' || round(size_gib, 1) || ' GiB)', '') as reason
  from int_pvc_volumes
  where not mounted
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
