-- Fargate pods sized as EKS does (queries/macros/fargate.sql: for CPU and memory apart, the larger
-- of the biggest init container and the sum of the long-running ones and native sidecars; plus
-- 256 MiB; rounded up to the smallest valid vCPU/memory pair). The billed size is the
-- CapacityProvisioned annotation when present and valid (what AWS provisioned), else the
-- computed size; a disagreement is kept for the report. Pods deleted before the snapshot are
-- sized from the usage history's requests (`known_from`).
with fargate_pods as (
  select p.cluster, p.namespace, p.pod_name, p.workload_kind, p.workload_name, p.capacity_provisioned
  from stg_kubernetes__pods as p
  left join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
  where n.compute_type = 'fargate' or p.fargate_profile is not null
),
requests as (
  select
    c.cluster,
    c.namespace,
    c.pod_name,
    pod_request(c.cpu_request_cores, c.container_type) as cpu_request_cores,
    pod_request(c.memory_request_bytes, c.container_type) as memory_request_bytes,
    -- Its largest init container, which right-sizing keeps (it does not right-size init containers).
    init_request(c.cpu_request_cores, c.container_type) as init_cpu_request_cores,
    init_request(c.memory_request_bytes, c.container_type) as init_memory_request_bytes
  from stg_kubernetes__containers as c
  group by c.cluster, c.namespace, c.pod_name
),
-- Pods gone before the snapshot that the usage history saw on a Fargate node (every Fargate pod
-- has its own, named fargate-ip-…): sized from the requests kube-state-metrics recorded for
-- their long-running containers (init containers do not show there).
history_containers as (
  select cluster, namespace, pod_name, container_name,
    any_value(workload_kind) as workload_kind, any_value(workload_name) as workload_name,
    max(cpu_request_cores) as cpu_request_cores, max(memory_request_bytes) as memory_request_bytes
  from stg_prometheus__usage_hourly
  where node_name like 'fargate-%'
  group by all
),
history_pods as (
  select
    h.cluster, h.namespace, h.pod_name,
    any_value(h.workload_kind) as workload_kind,
    any_value(h.workload_name) as workload_name,
    null as capacity_provisioned,
    pod_need(sum(h.cpu_request_cores), null) as cpu_request_cores,
    pod_need(sum(h.memory_request_bytes), null) as memory_request_bytes
  from history_containers as h
  anti join stg_kubernetes__pods as p using (cluster, namespace, pod_name)
  group by all
),
sized as (
  select
    p.*, r.cpu_request_cores, r.memory_request_bytes, r.init_cpu_request_cores, r.init_memory_request_bytes,
    'inventory' as known_from
  from fargate_pods as p
  join requests as r using (cluster, namespace, pod_name)
  union all by name
  select *, 'usage history' as known_from from history_pods
),
computed as (
  select
    p.cluster,
    p.namespace,
    p.pod_name,
    p.workload_kind,
    p.workload_name,
    p.capacity_provisioned,
    p.known_from,
    p.cpu_request_cores,
    p.memory_request_bytes,
    p.init_cpu_request_cores,
    p.init_memory_request_bytes,
    (p.memory_request_bytes + fargate_overhead_bytes()) / 1073741824.0 as memory_needed_gib,
    fargate_size(p.cpu_request_cores, p.memory_request_bytes) as size
  from sized as p
),
fitted as (
  select * exclude (size), size.vcpu as computed_vcpu, size.memory_gib as computed_memory_gib
  from computed
  -- A pod no configuration holds is not a Fargate pod EKS would run.
  where size.vcpu is not null
),
annotated as (
  select
    c.*,
    try_cast(regexp_extract(c.capacity_provisioned, '^(.*?)vCPU (.*?)GB$', 1) as double) as annotated_vcpu,
    try_cast(regexp_extract(c.capacity_provisioned, '^(.*?)vCPU (.*?)GB$', 2) as double) as annotated_memory_gib
  from fitted as c
)
select
  a.*,
  cfg.vcpu is not null as annotation_valid,
  coalesce(a.annotated_vcpu = a.computed_vcpu and a.annotated_memory_gib = a.computed_memory_gib, false) as annotation_matches,
  case when cfg.vcpu is not null then a.annotated_vcpu else a.computed_vcpu end as billed_vcpu,
  case when cfg.vcpu is not null then a.annotated_memory_gib else a.computed_memory_gib end as billed_memory_gib,
  case when cfg.vcpu is not null then 'annotation' else 'computed' end as billed_basis
from annotated as a
left join stg_reference__fargate_configurations as cfg
  on cfg.vcpu = a.annotated_vcpu
  and cfg.memory_gib = a.annotated_memory_gib
