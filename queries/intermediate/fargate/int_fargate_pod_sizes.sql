-- Fargate pods sized as EKS does: for CPU and memory apart, the larger of the biggest init
-- container and the sum of the long-running ones; plus 256 MiB for kubelet, kube-proxy and
-- containerd; rounded up to the smallest valid vCPU/memory pair. The billed size is the
-- CapacityProvisioned annotation when present and valid (what AWS provisioned), else the
-- computed size; a disagreement is kept for the report.
with fargate_pods as (
  select p.*
  from stg_kubernetes__pods as p
  left join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
  where n.compute_type = 'fargate' or p.fargate_profile is not null
),
requests as (
  select
    c.cluster,
    c.namespace,
    c.pod_name,
    greatest(
      coalesce(sum(c.cpu_request_cores) filter (where c.container_type <> 'init'), 0),
      coalesce(max(c.cpu_request_cores) filter (where c.container_type = 'init'), 0)
    ) as cpu_request_cores,
    greatest(
      coalesce(sum(c.memory_request_bytes) filter (where c.container_type <> 'init'), 0),
      coalesce(max(c.memory_request_bytes) filter (where c.container_type = 'init'), 0)
    ) as memory_request_bytes
  from stg_kubernetes__containers as c
  group by c.cluster, c.namespace, c.pod_name
),
computed as (
  select
    p.cluster,
    p.namespace,
    p.pod_name,
    p.workload_kind,
    p.workload_name,
    p.capacity_provisioned,
    r.cpu_request_cores,
    r.memory_request_bytes,
    (r.memory_request_bytes + 256 * 1048576) / 1073741824.0 as memory_needed_gib,
    arg_min(cfg.vcpu, cfg.vcpu * 1000 + cfg.memory_gib) as computed_vcpu,
    arg_min(cfg.memory_gib, cfg.vcpu * 1000 + cfg.memory_gib) as computed_memory_gib
  from fargate_pods as p
  join requests as r using (cluster, namespace, pod_name)
  join stg_reference__fargate_configurations as cfg
    on cfg.vcpu >= r.cpu_request_cores
    and cfg.memory_gib >= (r.memory_request_bytes + 256 * 1048576) / 1073741824.0
  group by all
),
annotated as (
  select
    c.*,
    try_cast(regexp_extract(c.capacity_provisioned, '^(.*?)vCPU (.*?)GB$', 1) as double) as annotated_vcpu,
    try_cast(regexp_extract(c.capacity_provisioned, '^(.*?)vCPU (.*?)GB$', 2) as double) as annotated_memory_gib
  from computed as c
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
