-- materialized: table
-- Per EC2 node-hour that had pods: the node's price and rates, and what its pods were charged.
-- Each pod is charged max(request, usage) per resource; when the charged cores (or GiB) exceed
-- the node's size, every pod's share is scaled down by `cpu_scale` (or `memory_scale`) so that the
-- node is never charged more than its price (AWS split cost allocation uses the allocated total as
-- the denominator when a node is oversubscribed). Idle is the node's cost per resource minus the
-- allocated dollars; `*_idle_per_usd` spreads it over the pods in proportion to their charges
-- (AWS's "unused cost" in the total split cost). The pods' requests are summed too: the spot
-- analyzer's hourly requested vCPU per pool (mart_spot_pools). Right-sizing's nodes saved do not
-- come from here but from the node simulator's re-pack (mart_rightsizing_pools, docs/simulation.md).
-- Pods and nodes meet on their keys (queries/macros/keys.sql).
with charged as (
  select
    p.node_key,
    p.hour,
    pod_charged(p.cpu_request_cores, p.cpu_usage_cores) as cpu_charged_cores,
    pod_charged(p.memory_request_gib, p.memory_usage_gib) as memory_charged_gib,
    least(p.pod_hours, n.node_hours) as hours,
    p.cpu_request_cores,
    p.memory_request_gib
  from int_pod_hours_keyed as p
  join int_node_hours_priced as n
    on n.node_key = p.node_key
    and n.hour = p.hour
),
totals as (
  select
    node_key,
    hour,
    count(*) as pods,
    sum(cpu_charged_cores) as cpu_total,
    sum(memory_charged_gib) as memory_total,
    sum(cpu_charged_cores * hours) as cpu_core_hours,
    sum(memory_charged_gib * hours) as memory_gib_hours,
    sum(cpu_request_cores) as cpu_requested_cores,
    sum(memory_request_gib) as memory_requested_gib
  from charged
  group by node_key, hour
),
scaled as (
  select
    n.*,
    t.pods,
    t.cpu_requested_cores,
    t.memory_requested_gib,
    t.cpu_core_hours,
    t.memory_gib_hours,
    least(1.0, n.vcpu / nullif(t.cpu_total, 0)) as cpu_scale,
    least(1.0, n.memory_gib / nullif(t.memory_total, 0)) as memory_scale
  from int_node_hours_priced as n
  join totals as t using (node_key, hour)
),
allocated as (
  select
    * exclude (cpu_core_hours, memory_gib_hours),
    coalesce(cpu_scale * cpu_core_hours, 0) * usd_per_core_hour as cpu_allocated_usd,
    coalesce(memory_scale * memory_gib_hours, 0) * usd_per_gib_hour as memory_allocated_usd
  from scaled
),
idle as (
  select
    *,
    usd_per_core_hour * vcpu * node_hours - cpu_allocated_usd as cpu_idle_usd,
    usd_per_gib_hour * memory_gib * node_hours - memory_allocated_usd as memory_idle_usd
  from allocated
)
select
  *,
  cpu_idle_usd / nullif(cpu_allocated_usd, 0) as cpu_idle_per_usd,
  memory_idle_usd / nullif(memory_allocated_usd, 0) as memory_idle_per_usd
from idle
