-- What the bill says beside the reconciliation, per cluster: which cost allocation tag the bill
-- was filtered on, the EC2 spend that carries no such tag (nodes the filter cannot see), Cost
-- Explorer's forecast for the rest of the month, and what collecting it cost.
with tagged as (
  select cluster, any_value(tag_filter) as tag_filter, count(distinct date) as billed_days
  from stg_aws__costs
  where group_by = 'SERVICE,USAGE_TYPE'
  group by cluster
),
untagged as (
  select cluster, sum(amount) as untagged_ec2_usd, count(distinct date) as untagged_days
  from stg_aws__costs
  where group_by = 'UNTAGGED_EC2' and metric = 'UnblendedCost'
  group by cluster
),
forecast as (
  select cluster, any_value(period_start) as forecast_start, any_value(period_end) as forecast_end,
    sum(mean_usd) as forecast_mean_usd, sum(lower_usd) as forecast_lower_usd, sum(upper_usd) as forecast_upper_usd,
    any_value(interval_level) as forecast_interval_level
  from stg_aws__cost_forecast
  group by cluster
),
requests as (
  select cluster,
    try_cast(json_extract_string(detail, '$.paidRequests') as integer) as paid_requests,
    json_extract_string(detail, '$.purchaseTypes') as purchase_types,
    json_extract_string(detail, '$.tried') as tags_tried
  from run_sources
  where run_id = getvariable('run_id') and source = 'cost-explorer'
)
select
  t.cluster,
  t.tag_filter,
  t.billed_days,
  u.untagged_ec2_usd,
  u.untagged_days,
  f.forecast_start,
  f.forecast_end,
  f.forecast_mean_usd,
  f.forecast_lower_usd,
  f.forecast_upper_usd,
  f.forecast_interval_level,
  r.paid_requests,
  r.purchase_types,
  r.tags_tried
from tagged as t
left join untagged as u using (cluster)
left join forecast as f using (cluster)
left join requests as r using (cluster)
