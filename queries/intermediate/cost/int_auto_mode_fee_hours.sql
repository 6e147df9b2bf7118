-- The EKS Auto Mode management fee: per hour, per instance, by instance type, on the nodes Auto
-- Mode manages only (label eks.amazonaws.com/compute-type=auto, per the EKS User Guide:
-- `compute_type` 'auto'), on top of their EC2 price. Priced from the Price List's AmazonEKS
-- per-instance-type hourly products (product `eks-auto-mode`; their usage type is not verified
-- from a stored source: docs/cost-model.md). A node without such a price has no fee line
-- (`fee_usd_per_hour` null); the reconciliation names its hours.
with fee as (
  select cluster, instance_type, max(price_usd) as fee_usd_per_hour, any_value(price_source) as price_source
  from stg_aws__prices
  where product = 'eks-auto-mode'
  group by all
),
auto_nodes as (
  select cluster, node_name from stg_kubernetes__nodes where compute_type = 'auto'
)
select
  h.cluster,
  h.node_name,
  h.instance_type,
  h.hour,
  h.node_hours,
  f.fee_usd_per_hour,
  f.price_source,
  h.node_hours * f.fee_usd_per_hour as cost_usd
from int_node_hours_priced as h
semi join auto_nodes as a using (cluster, node_name)
left join fee as f using (cluster, instance_type)
