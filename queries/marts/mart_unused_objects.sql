-- Things the cluster pays for that nothing uses: bound PVCs no running or pending pod mounts
-- (priced at the EBS GB-month price when the storage class names a volume type and the price is
-- known), and LoadBalancer Services without a ready endpoint (a load balancer still billed; no
-- ELB price is collected, so its cost is left unknown rather than guessed).
with mounted as (
  select distinct cluster, namespace, unnest(from_json(pvc_names, '["VARCHAR"]')) as pvc_name
  from stg_kubernetes__pods
  where phase in ('Running', 'Pending', 'Unknown')
),
ebs as (
  select cluster, instance_type as volume_type, any_value(price_usd) as usd_per_gb_month
  from stg_aws__prices
  where product = 'ebs'
  group by all
),
pvcs as (
  select
    p.cluster,
    'pvc' as kind,
    p.namespace,
    p.pvc_name as name,
    p.size_bytes,
    p.storage_class,
    p.size_gib * e.usd_per_gb_month as monthly_cost_usd,
    'bound, but no running pod mounts it' || coalesce(' (' || p.storage_class || ', ' || round(p.size_gib, 1) || ' GiB)', '') as reason
  from stg_kubernetes__pvcs as p
  left join mounted as m on m.cluster = p.cluster and m.namespace = p.namespace and m.pvc_name = p.pvc_name
  left join ebs as e on e.cluster = p.cluster and e.volume_type = regexp_extract(p.storage_class, '(gp3|gp2|io2|io1|st1|sc1)')
  where m.pvc_name is null and p.phase = 'Bound'
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
