-- The capacity pool of a node that is in no managed node group, no Karpenter NodePool and not on
-- Fargate (docs/simulation.md, "Plain nodes"): nodes are one pool when they have the same
-- instance type, the same capacity type and the same labels, leaving out the labels of the node
-- itself (hostname, instance id), of where it runs (zone, region, topology.*) and those that follow
-- from its type (instance type, arch, os). So one zone-spread Auto Scaling group is one pool, and
-- two groups told apart by a label (eksctl's, kops', a team label) are two.
CREATE OR REPLACE TEMP MACRO node_label_is_own(k) AS
  k IN (
    'kubernetes.io/hostname', 'node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type',
    'kubernetes.io/arch', 'beta.kubernetes.io/arch', 'kubernetes.io/os', 'beta.kubernetes.io/os',
    'alpha.eksctl.io/instance-id', 'node.kubernetes.io/instance-id', 'k8s.io/cloud-provider-aws'
  )
  OR k LIKE 'topology.%' OR k LIKE 'failure-domain.%' OR k LIKE '%/zone' OR k LIKE '%/region'
  OR k LIKE '%/instance-id';
-- The labels that place a node in a group, as sorted `key=value` pairs joined by commas.
CREATE OR REPLACE TEMP MACRO node_group_labels(labels) AS
  array_to_string(list_sort(list_transform(
    list_filter(map_entries(json_transform(labels, '"MAP(VARCHAR, VARCHAR)"')), e -> NOT node_label_is_own(e.key)),
    e -> e.key || '=' || e.value)), ',');
-- The pool's name: the group's own name where a tool labels it (eksctl, kops), else `nodes`; then
-- the instance type and capacity type; then, without such a name and with labels, 6 hex digits of
-- the labels' hash, so two label sets of one type are two pools with stable names.
CREATE OR REPLACE TEMP MACRO plain_node_pool(labels, instance_type, capacity_type) AS
  coalesce(
    json_extract_string(labels, '$."alpha.eksctl.io/nodegroup-name"'),
    json_extract_string(labels, '$."kops.k8s.io/instancegroup"'),
    'nodes'
  ) || '/' || coalesce(instance_type, 'unknown') || '/' || capacity_type
  || CASE
    WHEN json_extract_string(labels, '$."alpha.eksctl.io/nodegroup-name"') IS NULL
      AND json_extract_string(labels, '$."kops.k8s.io/instancegroup"') IS NULL
      AND node_group_labels(labels) <> ''
    THEN '/' || left(md5(node_group_labels(labels)), 6)
    ELSE ''
  END;
