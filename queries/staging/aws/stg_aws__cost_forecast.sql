select
  cluster,
  period_start,
  period_end,
  metric,
  mean_usd::double as mean_usd,
  lower_usd::double as lower_usd,
  upper_usd::double as upper_usd,
  interval_level,
  tag_filter
from aws_cost_forecast
where run_id = getvariable('run_id')
