-- What right-sizing is worth per capacity pool, written by the rightsizing analyzer's compute step
-- (src/analyze/rightsizing/repack.ts): the pool's running pods packed onto its nodes by the node
-- simulator (src/core/eks/) with their current requests and with the recommended ones, and the
-- node-hours that go away priced; for Fargate, the billed-size change. Three figures a month:
--   request_savings_usd: the requests freed, priced at the pool's rates (context);
--   nodes_saved_usd: the simulated node cost before minus after, × hours_per_month();
--   fargate_savings_usd: Fargate's billed sizes before minus after.
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
  price_source            VARCHAR,
  note                    VARCHAR NOT NULL
);
