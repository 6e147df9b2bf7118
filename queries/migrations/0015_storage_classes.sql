-- The StorageClasses of the cluster (storage.k8s.io/v1): the EBS volume a PVC gets is set by its
-- class's provisioner and parameters (the EBS CSI driver's `type`, `iops`, `iopsPerGB`,
-- `throughput`; the in-tree aws-ebs plugin's `type` and `iopsPerGB`). The cost model prices
-- each PVC's provisioned IOPS and throughput beyond what its volume type includes from them.
CREATE TABLE k8s_storage_classes (
  run_id        VARCHAR NOT NULL,
  cluster       VARCHAR NOT NULL,
  name          VARCHAR NOT NULL,
  provisioner   VARCHAR,
  parameters    VARCHAR NOT NULL,          -- JSON object of the class's parameters (strings)
  created_at    TIMESTAMP
);

-- The cluster's control plane scaling tier (DescribeCluster `controlPlaneScalingConfig.tier`:
-- standard | tier-xl | tier-2xl | tier-4xl | tier-8xl; NULL when EKS leaves it out, i.e.
-- standard). A provisioned tier is billed beside the cluster fee; no sourced price is at hand,
-- so the reconciliation names the tier rather than pricing it.
ALTER TABLE eks_clusters ADD COLUMN control_plane_tier VARCHAR;
