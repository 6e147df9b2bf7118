-- Things the cluster pays for that nothing uses, each with its monthly cost (null when no price
-- covers it, never a guess) and where the price came from:
-- - pvc: bound PVCs no running or pending pod mounts (their EBS cost over the window as a monthly
--   run-rate, the same figure as their allocation line: int_pvc_hours);
-- - load-balancer: LoadBalancer Services without a ready endpoint, priced at their type's hourly
--   charge plus their public IPv4 addresses, and Ingresses of the AWS Load Balancer Controller
--   whose Services have no ready endpoint, priced as their Application Load Balancer (int_load_balancers);
-- - pv: persistent volumes Released or Available (still billed by EBS, bound to no claim, and not
--   in the cluster's cost total, which counts bound PVCs), priced by the hour like a PVC;
-- - workload: workloads scaled to zero that still hold PVCs (a StatefulSet's claims, named
--   <template>-<name>-<ordinal>), an HPA, or a LoadBalancer Service selecting their pods; the
--   load balancers' cost is theirs, the PVCs are priced on their own rows;
-- - namespace: namespaces with no running or pending pod that still cost (their allocation over
--   the window: pods that ran earlier, their PVCs) plus their load balancers;
-- - ebs: EBS storage the bill carries under the cluster's tag beyond what its PVCs and PVs account
--   for (volumes no PV references, and node root volumes, whose size is not collected): an
--   aggregate from the bill's usage types; by volume would need GetCostAndUsageWithResources;
-- - cluster: a cluster whose Kubernetes version was past its end of standard support at the end
--   of the window (data/reference/eks-kubernetes-versions.csv), so EKS bills extended support: the
--   surcharge over standard support (usage type AmazonEKS-Hours:extendedSupport, $0.50 on top of
--   $0.10 per cluster-hour) is what upgrading saves, from the bill when it carries the line,
--   else from a collected price, else unknown.
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
    case object_kind when 'Ingress' then 'ingress/' || service_name else service_name end as name,
    null::bigint as size_bytes,
    null as storage_class,
    monthly_cost_usd,
    case object_kind when 'Ingress' then 'Ingress of the AWS Load Balancer Controller whose Services have no ready endpoint'
      else 'LoadBalancer Service with no ready endpoint' end
      || coalesce(' (' || load_balancer || ')', '') || ': ' || price_note as reason
  from int_load_balancers
  where ready_endpoints = 0
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
-- LoadBalancer Services whose selector picks a workload's pods (every key of the Service's
-- selector is in the workload's with the same value).
workload_load_balancers as (
  select
    w.cluster, w.namespace, w.workload_kind, w.workload_name,
    count(*) as load_balancers,
    string_agg(b.service_name, ', ' order by b.service_name) as services,
    sum(b.monthly_cost_usd) as monthly_cost_usd,
    bool_or(b.monthly_cost_usd is null) as some_unpriced
  from stg_kubernetes__workloads as w
  join int_load_balancers as b
    on b.cluster = w.cluster and b.namespace = w.namespace
    and b.selector is not null and w.selector is not null
    and list_bool_and(list_transform(map_keys(b.selector::json::map(varchar, varchar)),
      k -> (w.selector::json::map(varchar, varchar))[k] = (b.selector::json::map(varchar, varchar))[k]))
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
    case when b.load_balancers > 0 and not b.some_unpriced then b.monthly_cost_usd end as monthly_cost_usd,
    'scaled to zero replicas, still holding '
      || array_to_string(list_filter([
        case when coalesce(c.pvcs, 0) > 0 then c.pvcs || ' PVC(s) (priced on their own rows)' end,
        case when w.hpa_name is not null then 'HPA ' || w.hpa_name end,
        case when b.load_balancers > 0 then b.load_balancers || ' LoadBalancer Service(s) (' || b.services || ')' end
      ], x -> x is not null), ' and ') as reason
  from stg_kubernetes__workloads as w
  left join statefulset_claims as c using (cluster, namespace, workload_kind, workload_name)
  left join workload_load_balancers as b using (cluster, namespace, workload_kind, workload_name)
  where w.replicas_desired = 0 and (coalesce(c.pvcs, 0) > 0 or w.hpa_name is not null or b.load_balancers > 0)
),
namespace_load_balancers as (
  select cluster, namespace, count(*) filter (where monthly_cost_usd > 0) as load_balancers, count(*) - count(monthly_cost_usd) as unpriced,
    sum(monthly_cost_usd) as monthly_cost_usd
  from int_load_balancers
  group by all
),
empty_namespaces as (
  select
    n.cluster,
    'namespace' as kind,
    n.namespace,
    n.namespace as name,
    null::bigint as size_bytes,
    null as storage_class,
    coalesce(c.monthly_cost_usd, 0) + coalesce(b.monthly_cost_usd, 0) as monthly_cost_usd,
    format('no running pod, and it still costs {} a month: {} allocated over the window (pods that ran earlier, its PVCs){}{}',
      printf('$%.2f', coalesce(c.monthly_cost_usd, 0) + coalesce(b.monthly_cost_usd, 0)),
      printf('$%.2f', coalesce(c.monthly_cost_usd, 0)),
      case when b.load_balancers > 0 then format(' and {} for {} load balancer(s)', printf('$%.2f', coalesce(b.monthly_cost_usd, 0)), b.load_balancers) else '' end,
      case when b.unpriced > 0 then format(' ({} more load balancer(s) unpriced)', b.unpriced) else '' end)
      as reason
  from stg_kubernetes__namespaces as n
  left join mart_namespace_costs as c using (cluster, namespace)
  left join namespace_load_balancers as b using (cluster, namespace)
  where not exists (
      select 1 from stg_kubernetes__pods as p
      where p.cluster = n.cluster and p.namespace = n.namespace and p.phase in ('Running', 'Pending'))
    and coalesce(c.monthly_cost_usd, 0) + coalesce(b.monthly_cost_usd, 0) >= 0.01
),
billed_ebs as (
  select cluster, sum(amount) as cost_usd, count(distinct date) as days
  from stg_aws__costs
  where cost_kind = 'storage' and metric = 'UnblendedCost'
  group by all
),
modeled_ebs as (
  select cluster, sum(cost_usd) as cost_usd
  from (
    select cluster, cost_usd from pvc_costs
    union all
    select v.cluster, c.cost_usd from stg_kubernetes__pvs as v join pv_costs as c using (cluster, volume_name)
    where v.phase in ('Released', 'Available')
  )
  group by all
),
unreferenced_ebs as (
  select
    b.cluster,
    'ebs' as kind,
    null as namespace,
    'EBS volumes no PV accounts for' as name,
    null::bigint as size_bytes,
    null as storage_class,
    (b.cost_usd - coalesce(m.cost_usd, 0)) * w.monthly_factor as monthly_cost_usd,
    format('the bill carries {} a month of EBS volume storage under the cluster''s tag, its PVCs and PVs account for {}: the rest is volumes no PV references (kept after their PV was deleted, or made outside Kubernetes) and node root volumes (their size is not collected); which volumes needs GetCostAndUsageWithResources (resource-level data), not collected',
      printf('$%.2f', b.cost_usd * w.monthly_factor), printf('$%.2f', coalesce(m.cost_usd, 0) * w.monthly_factor)) as reason
  from billed_ebs as b
  left join modeled_ebs as m using (cluster)
  cross join int_window as w
  -- Only when the bill's days are the window's (the window is whole days), and a gap beyond a cent a month.
  where b.days * 24 = w.hours_in_window and (b.cost_usd - coalesce(m.cost_usd, 0)) * w.monthly_factor >= 0.01
),
extended_billed as (
  select cluster, sum(amount) as cost_usd, count(distinct date) as days
  from stg_aws__costs
  where key2 like '%AmazonEKS-Hours:extendedSupport' and metric = 'UnblendedCost'
  group by all
),
extended_price as (
  select cluster, max(price_usd) as usd_per_hour
  from stg_aws__prices
  where product = 'eks' and usage_type like '%AmazonEKS-Hours:extendedSupport'
  group by all
),
extended_support as (
  select
    c.cluster,
    'cluster' as kind,
    null as namespace,
    c.eks_name as name,
    null::bigint as size_bytes,
    null as storage_class,
    coalesce(b.cost_usd * hours_per_month() / nullif(b.days * 24, 0), p.usd_per_hour * hours_per_month()) as monthly_cost_usd,
    format('Kubernetes {} is in extended support: its standard support ended {}, and EKS bills extended support on top of the cluster fee until it is upgraded{}; {}; EKS upgrades it itself when extended support ends {}',
      c.version, strftime(v.end_of_standard_support, '%Y-%m-%d'),
      case when c.support_type = 'STANDARD' then ' (its upgrade policy says STANDARD, yet it runs a version past standard support)' else '' end,
      case
        when b.cost_usd is not null then format('the bill carries {} a month of it (AmazonEKS-Hours:extendedSupport): upgrading to a version in standard support saves that',
          printf('$%.2f', b.cost_usd * hours_per_month() / nullif(b.days * 24, 0)))
        when p.usd_per_hour is not null then format('at {}/hour ({}): upgrading saves that', printf('$%.2f', p.usd_per_hour), 'Price List')
        else 'its surcharge is unknown here (no AmazonEKS-Hours:extendedSupport line in the bill and no price collected)'
      end,
      strftime(v.end_of_extended_support, '%Y-%m-%d')) as reason
  from stg_eks__clusters as c
  join stg_reference__eks_versions as v using (version)
  cross join int_window as w
  left join extended_billed as b using (cluster)
  left join extended_price as p using (cluster)
  where v.end_of_standard_support <= w.window_end::date
)
select * from pvcs
union all
select * from load_balancers
union all
select * from volumes
union all
select * from scaled_to_zero
union all
select * from empty_namespaces
union all
select * from unreferenced_ebs
union all
select * from extended_support
