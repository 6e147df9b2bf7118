-- Takes a run's usage of one cluster out again (before a bundle's file is read cell by cell,
-- bundle_usage_macros.sql): $1 run, $2 cluster. Inside the run's transaction, before it commits.
delete from prom_usage_hourly where run_id = $1 and cluster = $2
