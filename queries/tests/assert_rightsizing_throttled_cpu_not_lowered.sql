-- A container throttled beyond the threshold is at_risk and its CPU request never goes down:
-- throttled usage understates what it needs.
select *
from mart_rightsizing
where cpu_throttled_ratio > getvariable('rightsizing_throttling_threshold')::double
  and status <> 'insufficient_data'
  and (status <> 'at_risk' or rec_cpu_request_cores < coalesce(cpu_request_cores, 0) - 1e-9)
