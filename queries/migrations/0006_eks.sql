-- What the EKS API says about each cluster (issue 13): the control plane (its Kubernetes version
-- and support tier, which decide the EKS fee: standard or extended support; whether EKS Auto
-- Mode runs its compute), its managed node groups (their instance types and Auto Scaling sizes,
-- which bound what the right-sizing re-pack may remove) and its Fargate profiles. Filled by the
-- `eks` source from DescribeCluster, ListNodegroups/DescribeNodegroup and
-- ListFargateProfiles/DescribeFargateProfile; one row per object per run.
CREATE TABLE eks_clusters (
  run_id              VARCHAR NOT NULL,
  cluster             VARCHAR NOT NULL,   -- the cluster as capacity names it
  eks_name            VARCHAR NOT NULL,   -- cluster.name as EKS names it
  arn                 VARCHAR,
  version             VARCHAR NOT NULL,   -- Kubernetes minor version, e.g. 1.31
  platform_version    VARCHAR,            -- eks.N
  support_type        VARCHAR NOT NULL,   -- upgradePolicy.supportType: STANDARD | EXTENDED (EXTENDED when EKS leaves it out)
  auto_mode_enabled   BOOLEAN NOT NULL,   -- computeConfig.enabled (EKS Auto Mode)
  status              VARCHAR NOT NULL,   -- ACTIVE, CREATING, UPDATING, …
  created_at          TIMESTAMP,
  tags                VARCHAR NOT NULL    -- JSON object
);

CREATE TABLE eks_nodegroups (
  run_id              VARCHAR NOT NULL,
  cluster             VARCHAR NOT NULL,
  nodegroup           VARCHAR NOT NULL,   -- nodegroupName, the eks.amazonaws.com/nodegroup label of its nodes
  instance_types      VARCHAR NOT NULL,   -- JSON array (empty when a launch template sets the type)
  capacity_type       VARCHAR NOT NULL,   -- ON_DEMAND | SPOT | CAPACITY_BLOCK
  ami_type            VARCHAR,
  release_version     VARCHAR,
  kubernetes_version  VARCHAR,
  min_size            INTEGER NOT NULL,   -- scalingConfig.minSize
  max_size            INTEGER NOT NULL,   -- scalingConfig.maxSize
  desired_size        INTEGER NOT NULL,   -- scalingConfig.desiredSize
  labels              VARCHAR NOT NULL,   -- JSON object: Kubernetes labels EKS puts on its nodes
  taints              VARCHAR NOT NULL,   -- JSON array of {key, value, effect}
  status              VARCHAR NOT NULL,   -- ACTIVE, DEGRADED, …
  launch_template     VARCHAR,            -- name or id, when the group has one
  created_at          TIMESTAMP
);

CREATE TABLE eks_fargate_profiles (
  run_id              VARCHAR NOT NULL,
  cluster             VARCHAR NOT NULL,
  profile             VARCHAR NOT NULL,   -- fargateProfileName
  selectors           VARCHAR NOT NULL,   -- JSON array of {namespace, labels}
  subnets             VARCHAR NOT NULL,   -- JSON array of subnet ids
  status              VARCHAR NOT NULL,
  created_at          TIMESTAMP
);
