select
  cluster,
  commitment,
  measure,
  period_start,
  period_end,
  covered_usd::double as covered_usd,
  on_demand_usd::double as on_demand_usd,
  covered_hours,
  on_demand_hours,
  commitment_usd::double as commitment_usd,
  used_usd::double as used_usd,
  unused_usd::double as unused_usd
from aws_commitments
where run_id = getvariable('run_id')
