-- One row per workload an HPA scales: its bounds, its utilisation targets per resource (Resource
-- and ContainerResource metrics of type Utilization, in percent of the request) and how many
-- metrics it has in all (a metric of another kind, such as an external one, is not read here).
with parsed as (
  select
    cluster,
    namespace,
    workload_kind,
    workload_name,
    hpa_name,
    hpa_min_replicas,
    hpa_max_replicas,
    coalesce(
      from_json(hpa_metrics, '[{"type":"VARCHAR","name":"VARCHAR","targetType":"VARCHAR","target":"VARCHAR"}]'),
      []
    ) as metrics
  from stg_kubernetes__workloads
  where hpa_name is not null
),
utilization as (
  select
    *,
    list_filter(metrics, m -> m.type in ('Resource', 'ContainerResource') and m.targetType = 'Utilization') as resource_metrics
  from parsed
)
select
  cluster,
  namespace,
  workload_kind,
  workload_name,
  hpa_name,
  hpa_min_replicas,
  hpa_max_replicas,
  try_cast(list_filter(resource_metrics, m -> m.name = 'cpu')[1].target as double) as cpu_target_percent,
  try_cast(list_filter(resource_metrics, m -> m.name = 'memory')[1].target as double) as memory_target_percent,
  len(metrics) as metrics
from utilization
