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
