-- The spot analyzer's verdict per workload of one cluster ($1) (mart_spot_readiness: its rules,
-- not restated here), for the forecast's "not on spot during the event". Run on the temp catalog.
select
  namespace || '/' || workload_kind || '/' || workload_name as workload_key,
  spot_ready,
  status,
  reason
from mart_spot_readiness
where cluster = $1
order by workload_key
