-- materialized: table
-- The daily curve of each scalable workload: per hour of the day (UTC), over the window's days,
-- the CPU demand (p90 across the days, so that one sale day does not set the curve), the replicas
-- held (average) and the replicas the demand needed (from that p90); and its share of the peak
-- hour's demand, which decides whether the hour is off-peak.
with by_hour as (
  select
    cluster,
    namespace,
    workload_kind,
    workload_name,
    hour_of_day,
    count(*) as days,
    quantile_cont(cpu_usage_cores, 0.9) as demand_cores,
    avg(replicas_held) as replicas_held,
    -- Summed exactly (DECIMAL): a double sum depends on the threads' order, run to run.
    avg(cpu_request_per_pod_cores::decimal(38, 12))::double as cpu_request_per_pod_cores,
    avg(memory_request_per_pod_bytes) as memory_request_per_pod_bytes,
    any_value(target_utilization) as target_utilization
  from int_offpeak_workload_hours
  group by all
)
select
  *,
  case
    when cpu_request_per_pod_cores > 0
      then greatest(1, ceil(demand_cores / (cpu_request_per_pod_cores * target_utilization)))::integer
  end as replicas_needed,
  demand_cores / nullif(max(demand_cores) over (partition by cluster, namespace, workload_kind, workload_name), 0) as share_of_peak,
  demand_cores
    < getvariable('offpeak_peak_share')
      * max(demand_cores) over (partition by cluster, namespace, workload_kind, workload_name) as off_peak
from by_hour
