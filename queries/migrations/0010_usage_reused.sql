-- Usage stored once: the hours of a cluster's window a run took from an earlier run instead of
-- asking Prometheus again (prometheus.incremental), by reference, not by copy. The run reads
-- hours [hour_start, hour_end) of the cluster from from_run_id's rows (the run that stored them;
-- followed through the earlier run's own references when it was made), and its own rows for the
-- rest (stg_prometheus__usage_hourly). Pruning keeps the rows a kept run refers to.
CREATE TABLE prom_usage_reused (
  run_id VARCHAR NOT NULL,
  cluster VARCHAR NOT NULL,
  from_run_id VARCHAR NOT NULL,
  hour_start TIMESTAMP NOT NULL,
  hour_end TIMESTAMP NOT NULL
);
