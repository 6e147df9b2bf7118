-- AWS's own per-pod split of the EC2 nodes' cost (issue 16): the EKS split cost allocation lines
-- of a Data Exports CUR 2.0 export (Parquet in S3, `aws.cur.s3Uri`), as the `cur` source reads
-- them (queries/store/load_cur_split.sql): only the lines of EKS pods of the cluster, of the
-- run's window. Two lines per pod and hour (vCPU-Hours and GB-Hours, a third for accelerators).
-- Column sources are in data/reference/cur2-split-columns.md.
CREATE TABLE aws_cur_split_lines (
  run_id                       VARCHAR NOT NULL,
  cluster                      VARCHAR NOT NULL,
  s3_key                       VARCHAR NOT NULL,   -- the export's object the line was read from
  usage_start                  TIMESTAMP NOT NULL, -- line_item_usage_start_date (UTC)
  usage_type                   VARCHAR NOT NULL,   -- line_item_usage_type, e.g. USE1-EKS-EC2-vCPU-Hours
  pod_arn                      VARCHAR NOT NULL,   -- line_item_resource_id: arn:aws:eks:…:pod/<cluster>/<namespace>/<pod>/<uid>
  parent_instance_id           VARCHAR NOT NULL,   -- split_line_item_parent_resource_id: the EC2 instance
  namespace                    VARCHAR NOT NULL,   -- aws:eks:namespace, else the ARN's
  pod                          VARCHAR NOT NULL,   -- the ARN's pod name
  node                         VARCHAR,            -- aws:eks:node
  workload_type                VARCHAR,            -- aws:eks:workload-type (ReplicaSet, StatefulSet, Job, DaemonSet, …)
  workload_name                VARCHAR,            -- aws:eks:workload-name
  deployment                   VARCHAR,            -- aws:eks:deployment (for a ReplicaSet)
  split_usage                  DOUBLE,             -- split_line_item_split_usage: vCPU or GB allocated, max(reserved, used)
  split_usage_ratio            DOUBLE,             -- split_line_item_split_usage_ratio
  reserved_usage               DOUBLE,             -- split_line_item_reserved_usage
  actual_usage                 DOUBLE,             -- split_line_item_actual_usage
  split_cost_usd               DOUBLE NOT NULL,    -- split_line_item_split_cost
  unused_cost_usd              DOUBLE NOT NULL,    -- split_line_item_unused_cost (0 when AWS leaves it empty)
  net_split_cost_usd           DOUBLE,             -- split_line_item_net_split_cost (only with a discount)
  net_unused_cost_usd          DOUBLE,             -- split_line_item_net_unused_cost (only with a discount)
  public_on_demand_split_cost_usd DOUBLE          -- split_line_item_public_on_demand_split_cost
);
