-- One sizing row per Fargate pod; the billed size never below the need (slack ≥ 0); a recommended
-- size always smaller than the billed one, with a saving that is never negative.
select cluster, namespace, pod_name, 'slack below zero' as problem
from mart_fargate_sizing
where cpu_slack_cores < -1e-9 or memory_slack_gib < -1e-9
union all
select cluster, namespace, pod_name, 'recommended size not smaller'
from mart_fargate_sizing
where recommended_vcpu is not null
  and recommended_vcpu * 1000 + recommended_memory_gib >= billed_vcpu * 1000 + billed_memory_gib
union all
select cluster, namespace, pod_name, 'negative saving'
from mart_fargate_sizing
where monthly_savings_usd < -1e-9
union all
select cluster, namespace, pod_name, 'more than one row'
from mart_fargate_sizing
group by all
having count(*) > 1
