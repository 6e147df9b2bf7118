-- Every priced dollar of the window as one line per pod-hour (EC2 and Fargate) or per node-hour
-- of idle capacity: node cost minus what its pods were charged, on its own line, never spread.
with ec2 as (
  select
    cluster, namespace, workload_kind, workload_name, pod_name, node_name, hour, capacity_type, capacity_pool,
    price_source, cpu_cost_usd, memory_cost_usd
  from int_pod_hours_charged
),
fargate as (
  select
    cluster, namespace, workload_kind, workload_name, pod_name, null as node_name, hour, 'fargate' as capacity_type,
    'fargate' as capacity_pool, price_source, cpu_cost_usd, memory_cost_usd
  from int_fargate_pod_hours
),
allocated as (
  select cluster, node_name, hour, sum(cpu_cost_usd) as cpu_usd, sum(memory_cost_usd) as memory_usd
  from ec2
  group by cluster, node_name, hour
),
idle as (
  select
    n.cluster,
    '(idle)' as namespace,
    'Idle' as workload_kind,
    n.capacity_pool as workload_name,
    null as pod_name,
    n.node_name,
    n.hour,
    n.capacity_type,
    n.capacity_pool,
    n.price_source,
    n.usd_per_core_hour * n.vcpu * n.node_hours - coalesce(a.cpu_usd, 0) as cpu_cost_usd,
    n.usd_per_gib_hour * n.memory_gib * n.node_hours - coalesce(a.memory_usd, 0) as memory_cost_usd
  from int_node_hours_priced as n
  left join allocated as a using (cluster, node_name, hour)
)
select *, cpu_cost_usd + memory_cost_usd as cost_usd from ec2
union all
select *, cpu_cost_usd + memory_cost_usd as cost_usd from fargate
union all
select *, cpu_cost_usd + memory_cost_usd as cost_usd from idle
