-- mart_cur_crosscheck summed per namespace over the days compared: the report's table.
select
  cluster,
  namespace,
  count(distinct date) as days,
  sum(aws_pods) as aws_pod_days,
  sum(our_pods) as our_pod_days,
  sum(aws_split_usd) as aws_split_usd,
  sum(aws_unused_usd) as aws_unused_usd,
  sum(aws_total_usd) as aws_total_usd,
  sum(ours_cost_usd) as ours_cost_usd,
  sum(ours_idle_share_usd) as ours_idle_share_usd,
  sum(ours_total_usd) as ours_total_usd,
  sum(difference_usd) as difference_usd,
  sum(only_aws_usd) as only_aws_usd,
  sum(only_ours_usd) as only_ours_usd,
  sum(node_basis_usd) as node_basis_usd,
  sum(split_usd) as split_usd
from mart_cur_crosscheck
group by cluster, namespace
