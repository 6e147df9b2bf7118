-- Off-peak scale-down per EC2 capacity pool, written by the offpeak analyzer's compute step
-- (src/analyze/offpeak/pools.ts): per hour of the day, the pool's pods at the replicas each
-- workload held then, and at the replicas it needs off-peak (flat_offpeak workloads of
-- mart_offpeak_workloads, in their off-peak hours), each packed by the node simulator; the
-- node-hours a day between the two, floored by what keeps nodes up (nodes pinned by pods the
-- autoscaler will not evict, the node group's min size), priced a month (× hours_per_month() / 24).
--   monthly_savings_usd: node-hours the pool's autoscaler can really remove;
--   monthly_blocked_usd: those the min size, a missing autoscaler or disabled consolidation keeps.
CREATE TEMP TABLE mart_offpeak_pools (
  cluster                     VARCHAR NOT NULL,
  capacity_pool               VARCHAR NOT NULL,
  pool_kind                   VARCHAR NOT NULL,   -- managed-node-group | karpenter | nodes
  autoscaler                  VARCHAR NOT NULL,   -- karpenter | karpenter-empty-only | cluster-autoscaler | none
  instance_types              VARCHAR NOT NULL,
  nodes_observed              INTEGER NOT NULL,
  min_size                    INTEGER,            -- the node group's minimum (NULL: not collected)
  pinned_nodes                INTEGER NOT NULL,   -- nodes running a pod that must not be evicted
  local_storage_pods          INTEGER NOT NULL,
  offpeak_workloads           INTEGER NOT NULL,   -- flat_offpeak workloads with pods in the pool
  offpeak_hours_of_day        VARCHAR NOT NULL,   -- hours (UTC) with fewer nodes needed, `0,1,2`
  node_hours_held_per_day     DOUBLE NOT NULL,    -- the pods as held, re-packed
  node_hours_needed_per_day   DOUBLE NOT NULL,    -- off-peak replicas, re-packed, floors applied
  node_hours_saved_per_day    DOUBLE NOT NULL,
  node_hours_blocked_per_day  DOUBLE NOT NULL,
  fewest_nodes_needed         INTEGER NOT NULL,   -- the lowest hour's need (pinned nodes counted, min size not)
  monthly_savings_usd         DOUBLE NOT NULL,
  monthly_blocked_usd         DOUBLE NOT NULL,
  status                      VARCHAR NOT NULL,   -- scale_down | blocked_min_size | no_autoscaler | consolidation_disabled | nothing_offpeak
  reason                      VARCHAR NOT NULL
);
