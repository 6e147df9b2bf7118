-- Cost Explorer lines; amounts stay DECIMAL in the raw table and become USD doubles here.
select
  cluster,
  date,
  group_by,
  key1,
  key2,
  metric,
  amount::double as amount,
  unit,
  estimated,
  tag_filter
from aws_costs
where run_id = getvariable('run_id')
