-- EBS beyond the PVCs (issue 16), filled by the `eks` source from EC2.
-- The volumes attached to the cluster's EC2 nodes (DescribeVolumes filtered by
-- attachment.instance-id, the instance ids of the nodes' spec.providerID): one row per
-- attachment. A volume no PV's volumeHandle names (the root volume, and any other volume made
-- outside Kubernetes) is priced per hour of its node as the "node volumes" line.
CREATE TABLE eks_node_volumes (
  run_id                 VARCHAR NOT NULL,
  cluster                VARCHAR NOT NULL,
  volume_id              VARCHAR NOT NULL,
  instance_id            VARCHAR NOT NULL,   -- the attachment's InstanceId (i-…)
  device                 VARCHAR,            -- e.g. /dev/xvda
  volume_type            VARCHAR NOT NULL,   -- gp3, gp2, io1, io2, st1, sc1, standard
  size_gib               INTEGER NOT NULL,
  iops                   INTEGER,            -- provisioned IOPS (gp3, io1, io2), else the baseline EC2 reports
  throughput_mibps       INTEGER,            -- gp3 only
  zone                   VARCHAR,
  delete_on_termination  BOOLEAN,
  attached_at            TIMESTAMP,
  created_at             TIMESTAMP
);

-- The account's own EBS snapshots under the cluster's tag (EC2 DescribeSnapshots, OwnerIds=self,
-- by tag-key kubernetes.io/cluster/<name> and by tag ebs.csi.aws.com/cluster-name=<name>; see
-- data/reference/README.md for which tags the EBS CSI driver sets). The Standard tier bills the
-- changed blocks a snapshot stores, which EC2 does not report: volume_size_gib is the source
-- volume's size, an upper bound on what one snapshot bills.
CREATE TABLE eks_snapshots (
  run_id           VARCHAR NOT NULL,
  cluster          VARCHAR NOT NULL,
  snapshot_id      VARCHAR NOT NULL,
  volume_id        VARCHAR,
  volume_size_gib  INTEGER NOT NULL,
  state            VARCHAR,            -- pending | completed | error | recoverable | recovering
  storage_tier     VARCHAR,            -- standard | archive
  started_at       TIMESTAMP,
  matched_tag      VARCHAR NOT NULL    -- the tag it was found by
);
