-- Our cost of each workload per whole UTC day against AWS's own split of it (CUR 2.0 split cost
-- allocation data), every dollar of the difference named (int_cur_pod_days):
--   difference_usd = only_ours_usd − only_aws_usd + node_basis_usd + split_usd
-- only_aws_usd: AWS's cost of pods we did not see; only_ours_usd: ours of pods AWS did not split;
-- node_basis_usd and split_usd: the pods both saw (the node's cost, and its split between pods).
select
  cluster,
  date,
  namespace,
  workload_kind,
  workload_name,
  count(*) filter (where seen_by_aws) as aws_pods,
  count(*) filter (where seen_by_us) as our_pods,
  sum(aws_split_usd) as aws_split_usd,
  sum(aws_unused_usd) as aws_unused_usd,
  sum(aws_total_usd) as aws_total_usd,
  sum(ours_cost_usd) as ours_cost_usd,
  sum(ours_idle_share_usd) as ours_idle_share_usd,
  sum(ours_total_usd) as ours_total_usd,
  sum(ours_total_usd) - sum(aws_total_usd) as difference_usd,
  coalesce(sum(aws_total_usd) filter (where not seen_by_us), 0) as only_aws_usd,
  coalesce(sum(ours_total_usd) filter (where not seen_by_aws), 0) as only_ours_usd,
  coalesce(sum(node_basis_usd), 0) as node_basis_usd,
  coalesce(sum(split_usd), 0) as split_usd,
  string_agg(distinct price_source, ', ' order by price_source) as price_sources
from int_cur_pod_days
group by cluster, date, namespace, workload_kind, workload_name
