-- What the forecast's pre-scale plan reads of the cluster's own history (issue 18).
-- Lead times: a node's Ready condition (its lastTransitionTime while True: when it became Ready,
-- unless it flapped since), a pod's PodScheduled condition (True: when it was bound to a node) and
-- when its last container started (state.running.startedAt, only while no container restarted:
-- a restart moves that time). NULL when the object does not say.
ALTER TABLE k8s_nodes ADD COLUMN ready_at TIMESTAMP;
ALTER TABLE k8s_pods ADD COLUMN scheduled_at TIMESTAMP;
ALTER TABLE k8s_pods ADD COLUMN containers_started_at TIMESTAMP;

-- The cluster's subnets (DescribeCluster's resourcesVpcConfig.subnetIds) as EC2 DescribeSubnets
-- describes them, filled by the `eks` source: the forecast checks the event's extra pods and
-- nodes against each zone's free IPv4 addresses (the VPC CNI gives every pod an address).
CREATE TABLE eks_subnets (
  run_id              VARCHAR NOT NULL,
  cluster             VARCHAR NOT NULL,
  subnet_id           VARCHAR NOT NULL,
  vpc_id              VARCHAR,
  zone                VARCHAR NOT NULL,   -- AvailabilityZone, e.g. us-east-1a
  zone_id             VARCHAR,            -- AvailabilityZoneId, e.g. use1-az1
  cidr_block          VARCHAR,
  available_ip_count  INTEGER NOT NULL    -- AvailableIpAddressCount: free IPv4 addresses
);

-- A Karpenter NodePool's (or NodeClaim's) nodeClassRef {group, kind, name}, JSON: the forecast's
-- plan writes a static NodePool (spec.replicas) on the same node class.
ALTER TABLE k8s_karpenter ADD COLUMN node_class_ref VARCHAR;
