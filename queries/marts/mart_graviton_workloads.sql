-- Graviton readiness of each workload running now, from evidence only:
--   arm_ready: every image of its pods (init containers and sidecars too) already runs on a node
--     labelled kubernetes.io/arch=arm64 in a collected cluster;
--   pinned_amd64: a pod's nodeSelector or required node affinity allows amd64 only;
--   unknown: some image was never seen on arm64: check its manifest list (the command is given);
--   on_arm: it runs on arm64 nodes already; fargate: EKS Fargate is x86 only, no Arm to move to.
with pods as (
  select p.cluster, p.namespace, p.pod_name, p.workload_kind, p.workload_name, p.arch_selector,
    n.arch, n.compute_type, n.capacity_pool, n.node_name
  from stg_kubernetes__pods as p
  join stg_kubernetes__nodes as n on n.cluster = p.cluster and n.node_name = p.node_name
  where p.phase = 'Running'
),
images as (
  select p.*, c.image
  from pods as p
  join stg_kubernetes__containers as c on c.cluster = p.cluster and c.namespace = p.namespace and c.pod_name = p.pod_name
  where c.image is not null
),
on_arm as (
  select image, min(cluster || '/' || namespace || '/' || pod_name) as seen_in
  from images
  where arch = 'arm64'
  group by image
),
workloads as (
  select
    i.cluster, i.namespace, i.workload_kind, i.workload_name,
    mode(i.capacity_pool) as capacity_pool,
    count(distinct i.pod_name) as pods,
    bool_and(i.compute_type = 'fargate') as on_fargate,
    bool_and(i.arch = 'arm64') as all_on_arm,
    bool_or(i.arch_selector is not null and not list_contains(from_json(i.arch_selector, '["VARCHAR"]'), 'arm64')) as pinned_amd64,
    count(distinct i.image) as images,
    count(distinct i.image) filter (where a.image is not null) as images_seen_on_arm,
    min(i.image) filter (where a.image is null) as first_unknown_image,
    min(a.seen_in) as evidence_pod,
    min(i.image) filter (where a.image is not null) as evidence_image
  from images as i
  left join on_arm as a using (image)
  group by all
)
select
  cluster, namespace, workload_kind, workload_name, capacity_pool, pods, images, images_seen_on_arm,
  case
    when on_fargate then 'fargate'
    when all_on_arm then 'on_arm'
    when pinned_amd64 then 'pinned_amd64'
    when images_seen_on_arm = images then 'arm_ready'
    else 'unknown'
  end as status,
  case
    when on_fargate then 'EKS Fargate runs x86 only: there is no Arm Fargate on EKS'
    when all_on_arm then 'runs on arm64 nodes already'
    when pinned_amd64 then 'its pods select kubernetes.io/arch=amd64 (nodeSelector or required node affinity)'
    when images_seen_on_arm = images then format('every image already runs on an arm64 node (e.g. {} in {})', evidence_image, evidence_pod)
    else format('unknown: {} is not seen on any arm64 node; check its manifest list: docker manifest inspect {} (or crane manifest {})',
      first_unknown_image, first_unknown_image, first_unknown_image)
  end as reason
from workloads
