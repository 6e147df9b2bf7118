-- What decides whether a workload tolerates spot interruptions, one row per workload of the run's
-- inventory (its pods joined to its controller): its kind, replicas (desired, or the HPA's
-- minimum), its PDB, volumes, the longest termination grace among its pods, the disruption
-- annotations, and where its pods run (pods on spot nodes, the pool most of them are in).
-- The override annotation capacity.io/spot-ready: the workload's own (or its pod template's)
-- decides, else any of its pods'; its absence is no opinion.
with pods as (
  select
    p.*,
    n.capacity_type as node_capacity_type,
    n.capacity_pool
  from stg_kubernetes__pods as p
  left join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
  where p.phase in ('Running', 'Pending')
)
select
  p.cluster,
  p.namespace,
  p.workload_kind,
  p.workload_name,
  count(*) as pods,
  count(*) filter (where p.node_capacity_type = 'spot') as pods_on_spot,
  count(*) filter (where p.node_capacity_type = 'fargate') as pods_on_fargate,
  mode(p.capacity_pool) as capacity_pool,
  any_value(w.replicas_desired) as replicas_desired,
  any_value(w.hpa_min_replicas) as hpa_min_replicas,
  any_value(w.pdb_name) as pdb_name,
  any_value(w.pdb_min_available) as pdb_min_available,
  any_value(w.pdb_max_unavailable) as pdb_max_unavailable,
  bool_or(json_array_length(p.pvc_names) > 0) or coalesce(any_value(json_array_length(w.pvc_templates)), 0) > 0
    as has_pvc,
  bool_or(p.has_host_path) as has_host_path,
  bool_or(p.has_empty_dir) as has_empty_dir,
  -- null when no pod says (the API server fills in 30 s when the spec does not).
  max(p.termination_grace_seconds) as termination_grace_seconds,
  bool_or(p.do_not_disrupt) as do_not_disrupt,
  bool_or(p.safe_to_evict = 'false') as not_safe_to_evict,
  coalesce(any_value(w.annotations ->> '$."capacity.io/spot-ready"'),
    any_value(p.annotations ->> '$."capacity.io/spot-ready"')) as spot_ready_override
from pods as p
left join stg_kubernetes__workloads as w using (cluster, namespace, workload_kind, workload_name)
group by all
