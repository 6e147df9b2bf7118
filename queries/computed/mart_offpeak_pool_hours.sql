-- Per EC2 capacity pool and hour of the day (UTC): the nodes it held (the inventory's node-hours
-- at that hour ÷ days), the nodes its pods as held pack onto, the nodes the off-peak replicas
-- pack onto, and the floor (pinned nodes, min size). Written by src/analyze/offpeak/pools.ts.
CREATE TEMP TABLE mart_offpeak_pool_hours (
  cluster              VARCHAR NOT NULL,
  capacity_pool        VARCHAR NOT NULL,
  hour_of_day          INTEGER NOT NULL,
  nodes_held           DOUBLE NOT NULL,
  pods_held            INTEGER NOT NULL,
  pods_needed          INTEGER NOT NULL,
  nodes_packed_held    INTEGER NOT NULL,
  nodes_packed_needed  INTEGER NOT NULL,
  nodes_floor          INTEGER NOT NULL,
  usd_per_hour_held    DOUBLE NOT NULL,
  usd_per_hour_needed  DOUBLE NOT NULL
);
