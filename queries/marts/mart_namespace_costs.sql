select
  cluster,
  namespace,
  exact_usd_sum(cost_usd) as cost_usd,
  exact_usd_sum(monthly_cost_usd) as monthly_cost_usd,
  exact_usd_sum(monthly_cost_scaled_usd) as monthly_cost_scaled_usd,
  exact_usd_sum(monthly_cpu_cost_usd) as monthly_cpu_cost_usd,
  exact_usd_sum(monthly_memory_cost_usd) as monthly_memory_cost_usd,
  count(*) filter (where workload_kind <> idle_kind()) as workloads
from mart_cost_allocation
group by cluster, namespace
