-- One row per EBS snapshot of the account under the cluster's tag (EC2 DescribeSnapshots), as the
-- EKS source read them in the run; volume_size_gib is the source volume's size, an upper bound on
-- the changed blocks the Standard tier bills.
select
  cluster,
  snapshot_id,
  volume_id,
  volume_size_gib,
  state,
  coalesce(storage_tier, 'standard') as storage_tier,
  started_at,
  matched_tag
from eks_snapshots
where run_id = getvariable('run_id')
