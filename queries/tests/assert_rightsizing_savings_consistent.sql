-- Savings are finite numbers; a negative one (the change costs money) only where a request goes
-- up; none where there is no recommendation.
select *
from mart_rightsizing
where request_savings_usd is null
  or not isfinite(request_savings_usd)
  or (status = 'insufficient_data' and (request_savings_usd <> 0 or rec_cpu_request_cores is not null))
  or (request_savings_usd < -usd_tolerance(request_savings_usd)
    and not (rec_cpu_request_cores > coalesce(cpu_request_cores, 0) or rec_memory_request_bytes > coalesce(memory_request_bytes, 0)
      or runs_on = 'fargate'))
