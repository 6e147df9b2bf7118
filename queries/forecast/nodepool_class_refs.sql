-- The node class of each Karpenter NodePool of one cluster ($1) in the run (its
-- template.spec.nodeClassRef, JSON), for the plan's static NodePool on the same class.
select name as nodepool, node_class_ref
from k8s_karpenter
where run_id = getvariable('run_id') and cluster = $1 and kind = 'NodePool' and node_class_ref is not null
order by name
