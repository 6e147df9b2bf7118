-- No recommendation below the configured floors, and memory limits never below memory requests.
select *
from mart_rightsizing
where status not in ('insufficient_data', 'no_change')
  and (rec_cpu_request_cores < getvariable('rightsizing_min_cpu_cores')::double - 1e-9
    or rec_memory_request_bytes < getvariable('rightsizing_min_memory_bytes')::double
    or rec_memory_limit_bytes < rec_memory_request_bytes)
