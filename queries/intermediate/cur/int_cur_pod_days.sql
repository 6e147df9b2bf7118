-- materialized: table
-- Each EC2 pod's day as AWS split it (CUR 2.0 split cost allocation data) beside the same pod's
-- day as the cost model charged it, for the whole UTC days of the window the export covers
-- (a day the window cuts is not compared, as in the reconciliation; a day the export has no line
-- of yet is not either, nor its latest day until that day's 23:00 hour is in: AWS refreshes the
-- export through the day). Matched on namespace and pod name. AWS's total is split cost + unused
-- cost; ours is the pod's charge + its share of its node's idle (mart_cost_allocation's
-- cost_with_idle_usd, AWS's "total split cost"). For a pod on both sides, the difference is cut
-- in two, each computed from the pods both sides saw on the node that day:
--   node_basis_usd: what the node cost differs by (AWS prices the instance at its amortized cost,
--     we at the price of int_node_hours_priced), spread over the node's pods by our total;
--   split_usd: the rest, how the node's cost is split between its pods (usage measured by
--     different means, unused shares).
with spans as (
  select cluster, date, max(hour) as last_hour, max(date) over (partition by cluster) as last_date
  from stg_aws__cur_split_lines
  group by cluster, date
),

days as (
  select s.cluster, s.date
  from spans as s
  cross join int_window as w
  where s.date::timestamp >= w.window_start
    and s.date::timestamp + interval 1 day <= w.window_end
    and (s.date < s.last_date or s.last_hour >= s.date::timestamp + interval 23 hour)
),

aws as (
  select
    c.cluster,
    c.date,
    c.namespace,
    c.pod,
    any_value(c.node_name) as node_name,
    any_value(c.parent_instance_id) as instance_id,
    any_value(c.workload_kind) as workload_kind,
    any_value(c.workload_name) as workload_name,
    sum(c.split_cost_usd) as aws_split_usd,
    sum(c.unused_cost_usd) as aws_unused_usd
  from stg_aws__cur_split_lines as c
  join days using (cluster, date)
  group by all
),

ours as (
  select
    l.cluster,
    l.date,
    l.namespace,
    l.pod_name as pod,
    any_value(l.node_name) as node_name,
    any_value(l.workload_kind) as workload_kind,
    any_value(l.workload_name) as workload_name,
    string_agg(distinct l.price_source, ', ' order by l.price_source) as price_source,
    sum(l.cost_usd) as ours_cost_usd,
    sum(l.idle_share_usd) as ours_idle_share_usd
  from int_cost_lines_daily as l
  join days using (cluster, date)
  where l.pod_name is not null
    and l.capacity_type not in ('fargate', 'storage', 'control-plane')
  group by all
),

pods as (
  select
    coalesce(o.cluster, a.cluster) as cluster,
    coalesce(o.date, a.date) as date,
    coalesce(o.namespace, a.namespace) as namespace,
    coalesce(o.pod, a.pod) as pod,
    coalesce(o.workload_kind, a.workload_kind) as workload_kind,
    coalesce(o.workload_name, a.workload_name) as workload_name,
    coalesce(o.node_name, a.node_name) as node_name,
    a.instance_id,
    o.price_source,
    a.pod is not null as seen_by_aws,
    o.pod is not null as seen_by_us,
    coalesce(a.aws_split_usd, 0) as aws_split_usd,
    coalesce(a.aws_unused_usd, 0) as aws_unused_usd,
    coalesce(a.aws_split_usd + a.aws_unused_usd, 0) as aws_total_usd,
    coalesce(o.ours_cost_usd, 0) as ours_cost_usd,
    coalesce(o.ours_idle_share_usd, 0) as ours_idle_share_usd,
    coalesce(o.ours_cost_usd + o.ours_idle_share_usd, 0) as ours_total_usd
  from ours as o
  full outer join aws as a using (cluster, date, namespace, pod)
),

-- Per node and day, AWS's total over ours for the pods both sides saw there.
nodes as (
  select cluster, date, node_name, sum(aws_total_usd) / nullif(sum(ours_total_usd), 0) as aws_per_ours
  from pods
  where seen_by_aws and seen_by_us and node_name is not null
  group by all
)

select
  p.*,
  case when p.seen_by_aws and p.seen_by_us then p.ours_total_usd * (1 - n.aws_per_ours) end as node_basis_usd,
  case when p.seen_by_aws and p.seen_by_us then
    p.ours_total_usd - p.aws_total_usd - coalesce(p.ours_total_usd * (1 - n.aws_per_ours), 0)
  end as split_usd
from pods as p
left join nodes as n using (cluster, date, node_name)
