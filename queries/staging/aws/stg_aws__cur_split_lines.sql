-- AWS's split cost allocation lines of the run's EKS pods (the `cur` source, CUR 2.0): one per
-- pod, hour and resource. `resource` from the usage type (…-vCPU-Hours, …-GB-Hours, else the
-- accelerator's); the workload as capacity names it: a ReplicaSet's Deployment
-- (aws:eks:deployment), else the workload AWS names, else the bare pod.
select
  cluster,
  s3_key,
  usage_start as hour,
  usage_start::date as date,
  usage_type,
  case
    when usage_type like '%vCPU-Hours' then 'cpu'
    when usage_type like '%GB-Hours' then 'memory'
    else 'accelerator'
  end as resource,
  namespace,
  pod,
  node as node_name,
  parent_instance_id,
  case
    when deployment is not null then 'Deployment'
    when workload_type is not null then workload_type
    else 'Pod'
  end as workload_kind,
  coalesce(deployment, workload_name, pod) as workload_name,
  split_usage,
  split_usage_ratio,
  reserved_usage,
  actual_usage,
  split_cost_usd,
  unused_cost_usd,
  net_split_cost_usd,
  net_unused_cost_usd
from aws_cur_split_lines
where run_id = getvariable('run_id')
