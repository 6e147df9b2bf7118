-- The on-demand/spot mix per EC2 capacity pool (node group or NodePool), and how diversified its
-- spot capacity is.
--   baseline: the baselinePercentile of the pool's hourly requested vCPU, kept on on-demand
--     (where Savings Plans cover it); the burst above it may go to spot, as far as the pool's
--     requests are spot-ready (mart_spot_readiness; DaemonSets left out: they follow the nodes).
--   Recommended spot share of the pool's capacity: at least the spot-ready burst, min(spot-ready
--     share of requests, (average requested − baseline) ÷ average requested), at most the
--     spot-ready share; within those, today's share is kept (more_spot below, less_spot above:
--     spot carrying load that is not spot-ready, a reliability cost). Current and recommended are priced
--     the same way: the pool's vCPU-hours × (on-demand share × its on-demand USD per vCPU-hour +
--     spot share × its spot USD per vCPU-hour); node-hours split in the same proportion (the node
--     simulator is not run: same instance types, same packing).
--   Spot prices: the history's window average per instance type and zone of the pool's nodes
--     (mart_spot_prices), else the prices its spot nodes were charged at (labelled), else none.
--   Diversification: instance types a NodePool allows (its node.kubernetes.io/instance-type
--     requirement; null when it selects by family or size instead) or a node group was seen
--     running; zones seen. Fewer than minInstanceTypes is a risk; a NodePool with fewer than
--     consolidationInstanceTypes gets no spot-to-spot consolidation from Karpenter.
with settings as (
  select
    getvariable('spot_baseline_percentile')::double as baseline_percentile,
    getvariable('spot_min_instance_types')::int as min_types,
    getvariable('spot_consolidation_instance_types')::int as consolidation_types
),
nodes as (
  select n.*, o.on_demand_usd_per_hour, s.avg_usd_per_hour as history_spot_usd_per_hour
  from int_node_hours_priced as n
  join int_node_prices as o using (cluster, node_name)
  left join mart_spot_prices as s using (cluster, instance_type, zone)
),
requests as (
  -- In whole millicores, as requests are: a float sum's last bits (which differ with the order
  -- DuckDB's threads add in) must not move the baseline or the text that quotes it.
  select cluster, capacity_pool, hour, round(sum(cpu_requested_cores), 3) as requested_cores
  from int_node_hour_charges
  group by all
),
hourly as (
  select n.cluster, n.capacity_pool, n.hour, coalesce(any_value(r.requested_cores), 0) as requested_cores
  from nodes as n
  left join requests as r using (cluster, capacity_pool, hour)
  group by all
),
demand as (
  select
    h.cluster, h.capacity_pool,
    quantile_cont(h.requested_cores, getvariable('spot_baseline_percentile')::double) as baseline_cores,
    avg(h.requested_cores) as avg_requested_cores
  from hourly as h
  group by all
),
-- Pods and nodes meet on their keys (queries/macros/keys.sql).
ready_workloads as (
  select w.workload_key, r.spot_ready
  from int_workload_keys as w
  join mart_spot_readiness as r
    on r.cluster = w.cluster and r.namespace = w.namespace and r.workload_kind = w.workload_kind and r.workload_name = w.workload_name
  where w.workload_kind <> 'DaemonSet'
),
ready as (
  -- Summed per node-hour first, then per pool: the node-hours (a tenth of the pod-hours) are what
  -- meets the nodes, so the join never holds the pod-hours in a hash table.
  select
    n.cluster, n.capacity_pool,
    sum(h.ready_core_hours) / nullif(sum(h.core_hours), 0) as spot_ready_share
  from (
    select
      p.node_key, p.hour,
      sum(p.cpu_request_cores * p.pod_hours) filter (where r.spot_ready) as ready_core_hours,
      sum(p.cpu_request_cores * p.pod_hours) as core_hours
    from int_pod_hours_keyed as p
    join ready_workloads as r using (workload_key)
    group by p.node_key, p.hour
  ) as h
  join nodes as n on n.node_key = h.node_key and n.hour = h.hour
  group by all
),
pools as (
  select
    cluster, capacity_pool,
    any_value(nodepool) as nodepool,
    sum(node_hours) as node_hours,
    sum(vcpu * node_hours) as vcpu_hours,
    coalesce(sum(vcpu * node_hours) filter (where capacity_type = 'spot'), 0) / sum(vcpu * node_hours) as current_spot_share,
    sum(on_demand_usd_per_hour * node_hours) / nullif(sum(vcpu * node_hours) filter (where on_demand_usd_per_hour is not null), 0)
      as on_demand_usd_per_vcpu_hour,
    sum(history_spot_usd_per_hour * node_hours) / nullif(sum(vcpu * node_hours) filter (where history_spot_usd_per_hour is not null), 0)
      as history_spot_usd_per_vcpu_hour,
    sum(price_usd_per_hour * node_hours) filter (where capacity_type = 'spot')
      / nullif(sum(vcpu * node_hours) filter (where capacity_type = 'spot' and price_usd_per_hour is not null), 0)
      as charged_spot_usd_per_vcpu_hour,
    count(distinct instance_type) as instance_types_seen,
    count(distinct zone) as zones,
    string_agg(distinct zone, ', ' order by zone) as zone_names
  from (select n.*, k.nodepool from nodes as n left join (
      select distinct cluster, node_name, nodepool from stg_kubernetes__nodes) as k using (cluster, node_name))
  group by all
),
nodepools as (
  select
    cluster, name as nodepool,
    (select len(r.values) from (select unnest(from_json(requirements, '[{"key":"VARCHAR","operator":"VARCHAR","values":["VARCHAR"]}]')) as r)
      where r.key = 'node.kubernetes.io/instance-type' and r.operator = 'In') as instance_types_allowed,
    (select list_has_any(r.values, ['spot']) from (select unnest(from_json(requirements, '[{"key":"VARCHAR","operator":"VARCHAR","values":["VARCHAR"]}]')) as r)
      where r.key = 'karpenter.sh/capacity-type' and r.operator = 'In') as allows_spot
  from stg_kubernetes__karpenter
  where kind = 'NodePool'
),
mixed as (
  select
    p.*,
    np.nodepool is not null as is_nodepool,
    np.instance_types_allowed,
    np.allows_spot,
    d.baseline_cores,
    d.avg_requested_cores,
    coalesce(r.spot_ready_share, 0) as spot_ready_share,
    coalesce(p.history_spot_usd_per_vcpu_hour, p.charged_spot_usd_per_vcpu_hour) as spot_usd_per_vcpu_hour,
    case when p.history_spot_usd_per_vcpu_hour is not null then 'spot-history'
      when p.charged_spot_usd_per_vcpu_hour is not null then 'charged to its spot nodes' end as spot_price_source,
    -- At least the spot-ready burst above the baseline, at most the spot-ready share: spot already
    -- carrying spot-ready load stays (no commitment is known to make on-demand cheaper).
    least(coalesce(r.spot_ready_share, 0), greatest(
      p.current_spot_share,
      least(coalesce(r.spot_ready_share, 0),
        greatest(d.avg_requested_cores - d.baseline_cores, 0) / nullif(d.avg_requested_cores, 0))
    )) as recommended_spot_share,
    x.*,
    w.monthly_factor
  from pools as p
  join demand as d using (cluster, capacity_pool)
  left join ready as r using (cluster, capacity_pool)
  left join nodepools as np on np.cluster = p.cluster and np.nodepool = p.nodepool
  cross join settings as x
  cross join int_window as w
),
priced as (
  select
    *,
    coalesce(instance_types_allowed, instance_types_seen)::integer as instance_types,
    vcpu_hours * monthly_factor * ((1 - current_spot_share) * on_demand_usd_per_vcpu_hour + current_spot_share * spot_usd_per_vcpu_hour)
      as current_monthly_usd,
    vcpu_hours * monthly_factor
      * ((1 - coalesce(recommended_spot_share, 0)) * on_demand_usd_per_vcpu_hour + coalesce(recommended_spot_share, 0) * spot_usd_per_vcpu_hour)
      as recommended_monthly_usd
  from mixed
)
select
  cluster,
  capacity_pool,
  is_nodepool,
  node_hours * monthly_factor as node_hours_per_month,
  avg_requested_cores,
  baseline_cores,
  spot_ready_share,
  current_spot_share,
  coalesce(recommended_spot_share, 0) as recommended_spot_share,
  node_hours * monthly_factor * (1 - current_spot_share) as current_on_demand_node_hours,
  node_hours * monthly_factor * current_spot_share as current_spot_node_hours,
  node_hours * monthly_factor * (1 - coalesce(recommended_spot_share, 0)) as recommended_on_demand_node_hours,
  node_hours * monthly_factor * coalesce(recommended_spot_share, 0) as recommended_spot_node_hours,
  on_demand_usd_per_vcpu_hour,
  spot_usd_per_vcpu_hour,
  spot_price_source,
  current_monthly_usd,
  recommended_monthly_usd,
  case when spot_usd_per_vcpu_hour is null or on_demand_usd_per_vcpu_hour is null then 'unpriced'
    when coalesce(recommended_spot_share, 0) > current_spot_share + 0.005 then 'more_spot'
    when coalesce(recommended_spot_share, 0) < current_spot_share - 0.005 then 'less_spot'
    else 'no_change' end as status,
  case
    when spot_usd_per_vcpu_hour is null then 'no spot price for its instance types and zones (no spot history, no spot node): the mix is not priced'
    when on_demand_usd_per_vcpu_hour is null then 'no on-demand price for its instance types'
    else format('baseline {:.2f} vCPU (p{} of hourly requests), average {:.2f}; {}% of its requests are spot-ready: {}% on spot recommended, {}% today',
      baseline_cores, round(baseline_percentile * 100)::bigint, avg_requested_cores, round(spot_ready_share * 100)::bigint,
      round(coalesce(recommended_spot_share, 0) * 100)::bigint, round(current_spot_share * 100)::bigint)
      || case when spot_price_source <> 'spot-history' then ' (spot priced at what its spot nodes were charged: no spot history for its types and zones)' else '' end
      || case when not is_nodepool and coalesce(recommended_spot_share, 0) > current_spot_share + 0.005
        then '; a managed node group has one capacity type: add a spot node group beside it' else '' end
      || case when is_nodepool and allows_spot is false and coalesce(recommended_spot_share, 0) > 0
        then '; its NodePool does not allow spot (karpenter.sh/capacity-type)' else '' end
  end as reason,
  -- Positive: what the recommended mix saves; negative: what moving spot pods that should not be there costs.
  coalesce(current_monthly_usd - recommended_monthly_usd, 0) as monthly_savings_usd,
  instance_types,
  instance_types_allowed is not null as instance_types_from_nodepool,
  zones::integer as zones,
  zone_names,
  list_filter([
    case when instance_types < min_types then format('{} instance type(s) {}: fewer than {}, so spot interruptions hit its nodes together',
      instance_types, case when instance_types_allowed is not null then 'allowed' else 'seen' end, min_types) end,
    case when is_nodepool and instance_types < consolidation_types then
      format('fewer than {} instance types: Karpenter does no spot-to-spot consolidation', consolidation_types) end,
    case when zones < 2 then 'a single zone' end
  ], r -> r is not null) as diversification_risks
from priced
