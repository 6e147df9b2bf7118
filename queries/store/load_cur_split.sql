-- Loads the EKS split cost allocation lines of one CUR 2.0 Parquet object into
-- aws_cur_split_lines: $1 run, $2 cluster (the EKS cluster's name), $3 the downloaded object,
-- $4 the optional columns' empty file (cur_optional_columns.sql), $5 the object's S3 key,
-- $6/$7 the window [start, end). Only the lines of EKS pods (a pod ARN in line_item_resource_id
-- and a parent EC2 instance) of that cluster inside the window are kept; ECS tasks, other
-- clusters, the instances' own lines and every other service stay in the export.
-- The EKS tags are read as AWS names them (aws:eks:namespace) or as some exports normalise map
-- keys (aws_eks_namespace); see data/reference/cur2-split-columns.md.
insert into aws_cur_split_lines by name
with lines as (
  select
    *,
    string_split(line_item_resource_id, '/') as arn
  from read_parquet([$3, $4], union_by_name = true)
  where split_line_item_parent_resource_id is not null
    and split_line_item_parent_resource_id <> ''
    and line_item_resource_id like 'arn:%:eks:%:pod/%'
    and line_item_usage_start_date::timestamp >= $6::timestamp
    and line_item_usage_start_date::timestamp < $7::timestamp
)
select
  $1 as run_id,
  $2 as cluster,
  $5 as s3_key,
  line_item_usage_start_date::timestamp as usage_start,
  line_item_usage_type as usage_type,
  line_item_resource_id as pod_arn,
  split_line_item_parent_resource_id as parent_instance_id,
  coalesce(resource_tags['aws:eks:namespace'], resource_tags['aws_eks_namespace'], arn[3]) as namespace,
  arn[4] as pod,
  coalesce(resource_tags['aws:eks:node'], resource_tags['aws_eks_node']) as node,
  coalesce(resource_tags['aws:eks:workload-type'], resource_tags['aws_eks_workload_type']) as workload_type,
  coalesce(resource_tags['aws:eks:workload-name'], resource_tags['aws_eks_workload_name']) as workload_name,
  coalesce(resource_tags['aws:eks:deployment'], resource_tags['aws_eks_deployment']) as deployment,
  split_line_item_split_usage::double as split_usage,
  split_line_item_split_usage_ratio::double as split_usage_ratio,
  split_line_item_reserved_usage::double as reserved_usage,
  split_line_item_actual_usage::double as actual_usage,
  coalesce(split_line_item_split_cost::double, 0) as split_cost_usd,
  coalesce(split_line_item_unused_cost::double, 0) as unused_cost_usd,
  split_line_item_net_split_cost::double as net_split_cost_usd,
  split_line_item_net_unused_cost::double as net_unused_cost_usd,
  split_line_item_public_on_demand_split_cost::double as public_on_demand_split_cost_usd
from lines
where coalesce(resource_tags['aws:eks:cluster-name'], resource_tags['aws_eks_cluster_name'], arn[2]) = $2
