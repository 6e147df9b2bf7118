-- Cost rolled up by each label key of allocation.labelKeys (team, cost centre, …). A pod's value
-- is its own label, else the label most of its workload's other pods carry (pods deleted before
-- the snapshot have no labels of their own), else its workload's, else its namespace's, else
-- '(none)'. Idle and the EKS fee keep values of their own (idle_namespace(),
-- control_plane_namespace()) and PVCs no pod mounts take their namespace's, so each key's rows add up to the cluster's total.
with keys as (
  select unnest(from_json(coalesce(getvariable('allocation_label_keys'), '[]'), '["VARCHAR"]')) as label_key
),
lines as (
  select
    l.cluster, l.namespace, l.workload_kind, l.workload_name, l.pod_name,
    exact_usd_sum(l.cost_usd) as cost_usd,
    exact_usd_sum(l.cost_usd + l.idle_share_usd) as cost_with_idle_usd,
    exact_usd_sum(l.cost_usd * coalesce(b.factor, 1)) as cost_scaled_usd
  from int_cost_lines_daily as l
  left join mart_bill_scale as b
    on b.cluster = l.cluster
    and b.cost_kind = l.cost_kind
  group by all
),
pods as (
  select cluster, namespace, pod_name, workload_kind, workload_name,
    json_transform(labels, '"MAP(VARCHAR, VARCHAR)"') as labels
  from stg_kubernetes__pods
),
pod_values as (
  select p.cluster, p.namespace, p.pod_name, p.workload_kind, p.workload_name, k.label_key,
    p.labels[k.label_key] as value
  from pods as p
  cross join keys as k
),
sibling_values as (
  select cluster, namespace, workload_kind, workload_name, label_key, mode(value) as value
  from pod_values
  where value is not null
  group by all
),
workload_values as (
  select w.cluster, w.namespace, w.workload_kind, w.workload_name, k.label_key,
    json_transform(w.labels, '"MAP(VARCHAR, VARCHAR)"')[k.label_key] as value
  from stg_kubernetes__workloads as w
  cross join keys as k
),
namespace_values as (
  select n.cluster, n.namespace, k.label_key,
    json_transform(n.labels, '"MAP(VARCHAR, VARCHAR)"')[k.label_key] as value
  from stg_kubernetes__namespaces as n
  cross join keys as k
),
labelled as (
  select
    l.cluster,
    k.label_key,
    l.namespace,
    l.workload_kind,
    l.workload_name,
    l.cost_usd,
    l.cost_with_idle_usd,
    l.cost_scaled_usd,
    case
      when l.workload_kind = idle_kind() then idle_namespace()
      when l.workload_kind in (control_plane_kind(), node_volume_kind()) then control_plane_namespace()
      else coalesce(p.value, s.value, w.value, n.value, '(none)')
    end as label_value,
    case
      when is_shared_kind(l.workload_kind) then 'shared'
      when p.value is not null then 'pod'
      when s.value is not null then 'workload pods'
      when w.value is not null then 'workload'
      when n.value is not null then 'namespace'
      else 'none'
    end as value_from
  from lines as l
  cross join keys as k
  left join pod_values as p
    on p.cluster = l.cluster and p.namespace = l.namespace and p.pod_name = l.pod_name and p.label_key = k.label_key
  left join sibling_values as s
    on s.cluster = l.cluster and s.namespace = l.namespace and s.workload_kind = l.workload_kind
    and s.workload_name = l.workload_name and s.label_key = k.label_key
  left join workload_values as w
    on w.cluster = l.cluster and w.namespace = l.namespace and w.workload_kind = l.workload_kind
    and w.workload_name = l.workload_name and w.label_key = k.label_key
  left join namespace_values as n
    on n.cluster = l.cluster and n.namespace = l.namespace and n.label_key = k.label_key
)
select
  l.cluster,
  l.label_key,
  l.label_value,
  exact_usd_sum(l.cost_usd) as cost_usd,
  exact_usd_sum(l.cost_usd) * any_value(w.monthly_factor) as monthly_cost_usd,
  exact_usd_sum(l.cost_with_idle_usd) * any_value(w.monthly_factor) as monthly_cost_with_idle_usd,
  case when getvariable('allocation_scale_to_bill')::boolean then exact_usd_sum(l.cost_scaled_usd) * any_value(w.monthly_factor) end
    as monthly_cost_scaled_usd,
  count(distinct (l.namespace, l.workload_kind, l.workload_name)) filter (where not is_shared_kind(l.workload_kind)) as workloads,
  string_agg(distinct l.namespace, ', ' order by l.namespace) as namespaces,
  string_agg(distinct l.value_from, ', ' order by l.value_from) as values_from
from labelled as l
cross join int_window as w
group by l.cluster, l.label_key, l.label_value
