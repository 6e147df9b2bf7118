-- Graviton per EC2 capacity pool, written by the graviton analyzer's compute step
-- (src/analyze/graviton/pools.ts): the pool's pods packed by the node simulator on its x86 types
-- (before), and with its arm_ready workloads (mart_graviton_workloads) moved to a pool of the Arm
-- equivalents (int_graviton_equivalents) while the others stay (after); and every pod on Arm, for
-- scale. Prices: the run's own or the dated snapshot for on-demand, the spot history for spot.
CREATE TEMP TABLE mart_graviton_pools (
  cluster                   VARCHAR NOT NULL,
  capacity_pool             VARCHAR NOT NULL,
  capacity_type             VARCHAR NOT NULL,
  instance_types            VARCHAR NOT NULL,   -- x86 types now
  arm_instance_types        VARCHAR NOT NULL,   -- their Arm equivalents, `m6i.xlarge→m7g.xlarge`
  pods                      INTEGER NOT NULL,
  ready_pods                INTEGER NOT NULL,   -- of arm_ready workloads
  ready_workloads           INTEGER NOT NULL,
  unknown_workloads         INTEGER NOT NULL,
  pinned_workloads          INTEGER NOT NULL,
  daemonsets_not_ready      VARCHAR,            -- DaemonSets of the pool without arm64 evidence
  nodes_before              INTEGER,
  nodes_after_x86           INTEGER,
  nodes_after_arm           INTEGER,
  usd_per_hour_before       DOUBLE,
  usd_per_hour_after        DOUBLE,
  usd_per_hour_all_arm      DOUBLE,             -- every pod on Arm (if all were ready)
  arm_price_source          VARCHAR,
  monthly_savings_usd       DOUBLE NOT NULL,    -- the ready workloads moved
  monthly_all_arm_savings_usd DOUBLE,           -- if every workload were ready
  status                    VARCHAR NOT NULL,   -- move_ready | no_ready_workload | no_saving | no_equivalent | unpriced | on_arm
  reason                    VARCHAR NOT NULL
);
