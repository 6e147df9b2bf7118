-- What right-sizing is worth per capacity pool, written by the rightsizing analyzer's compute step
-- (src/analyze/rightsizing/repack.ts): the pool's running pods packed onto its nodes by the node
-- simulator (src/core/eks/) with their current requests and with the recommended ones, and the
-- node-hours that go away priced; for Fargate, the billed-size change. Three figures a month:
--   request_savings_usd: the requests freed, priced at the pool's rates (context);
--   nodes_saved_usd: the simulated node cost before minus after, × hours_per_month();
--   fargate_savings_usd: Fargate's billed sizes before minus after.
-- A managed node group is held to the min/max size the EKS API gave (eks_nodegroups): the nodes
-- only its minSize keeps are in nodes_after and priced in nodes_saved_usd as staying; what they
-- cost is min_size_savings_usd, a finding apart (lower the minimum), not in the headline.
CREATE TEMP TABLE mart_rightsizing_pools (
  cluster                 VARCHAR NOT NULL,
  capacity_pool           VARCHAR NOT NULL,
  pool_kind               VARCHAR NOT NULL,   -- managed-node-group | karpenter | nodes | fargate
  autoscaler              VARCHAR NOT NULL,   -- karpenter | karpenter-empty-only | cluster-autoscaler | none | fargate
  instance_types          VARCHAR NOT NULL,   -- what the pool may launch, as the simulator read it
  requirements_source     VARCHAR NOT NULL,   -- nodepool | observed-nodes | node-group | fargate
  nodes_observed          INTEGER NOT NULL,
  pods                    INTEGER NOT NULL,
  nodes_before            INTEGER,
  nodes_after             INTEGER,
  lower_bound_before      INTEGER,
  lower_bound_after       INTEGER,
  unplaced_before         INTEGER NOT NULL,
  unplaced_after          INTEGER NOT NULL,
  nodes_before_by_type    VARCHAR,            -- `m6i.xlarge×12, …`
  nodes_after_by_type     VARCHAR,
  usd_per_hour_before     DOUBLE,
  usd_per_hour_after      DOUBLE,
  freed_cpu_cores         DOUBLE NOT NULL,
  freed_memory_bytes      DOUBLE NOT NULL,
  request_savings_usd     DOUBLE NOT NULL,
  nodes_saved_usd         DOUBLE NOT NULL,
  fargate_savings_usd     DOUBLE NOT NULL,
  min_size                INTEGER,            -- the node group's scalingConfig.minSize (null: not a node group, or not described)
  max_size                INTEGER,            -- its scalingConfig.maxSize
  nodes_held_by_min_size  INTEGER NOT NULL,   -- of nodes_after, the empty ones only min_size keeps
  min_size_savings_usd    DOUBLE NOT NULL,    -- what those cost a month: saved by lowering min_size to what the pods need
  price_source            VARCHAR,
  note                    VARCHAR NOT NULL
);
