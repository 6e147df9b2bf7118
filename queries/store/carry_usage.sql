-- Takes a previous run's hourly usage of the hours not asked for again into this run by reference
-- (prom_usage_reused), never by copy, so that each hour of usage is stored once: $1 this run, $2
-- the previous run, $3 cluster, $4 first hour, $5 the hour after the last. Where the previous run
-- itself referred to an earlier one, this run refers to that earlier run for those hours; for
-- the rest, to the previous run's own rows (which hold none of the hours it referred to).
insert into prom_usage_reused (run_id, cluster, from_run_id, hour_start, hour_end)
select $1, cluster, from_run_id, greatest(hour_start, $4::timestamp), least(hour_end, $5::timestamp)
from prom_usage_reused
where run_id = $2 and cluster = $3 and hour_start < $5::timestamp and hour_end > $4::timestamp
union all
select $1, $3, $2, $4::timestamp, $5::timestamp
