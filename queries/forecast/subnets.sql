-- The free IPv4 addresses of one cluster's ($1) subnets in the run, per availability zone
-- (eks_subnets, from EC2 DescribeSubnets of DescribeCluster's subnetIds). Run on the temp catalog.
select
  zone,
  sum(available_ip_count)::bigint as free_ip_count,
  count(*)::bigint as subnet_count
from eks_subnets
where run_id = getvariable('run_id') and cluster = $1
group by zone
order by zone
