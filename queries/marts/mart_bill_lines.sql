-- The billed lines the model does not price, over the compared days (mart_reconciliation's whole,
-- billed days), per cluster and usage type: each named by what it is (bill_line_category) and
-- why it is left unallocated (bill_line_reason), with its usage quantity and dollars on the
-- cluster's cost metric (int_cost_basis). Never lumped into one "other" figure: their sum is mart_reconciliation's
-- billed_other_usd over the same days.
with compared_days as (
  select cluster, date from mart_reconciliation where compared
)
select
  c.cluster,
  bill_line_category(c.key2) as category,
  c.key1 as service,
  c.key2 as usage_type,
  sum(c.amount) filter (where c.metric = b.cost_metric) as billed_usd,
  sum(c.amount) filter (where c.metric = 'UsageQuantity') as usage_quantity,
  any_value(c.unit) filter (where c.metric = 'UsageQuantity') as usage_unit,
  bill_line_reason(bill_line_category(c.key2)) as reason
from stg_aws__costs as c
join int_cost_basis as b using (cluster)
semi join compared_days using (cluster, date)
where c.cost_kind = 'other'
group by c.cluster, c.key1, c.key2
