-- The support tier of each cluster-hour of the window, from the cluster's Kubernetes version and
-- upgrade policy (the EKS API, stg_eks__clusters) and the EKS release calendar
-- (stg_reference__eks_versions): `extended` from the UTC day standard support of the version
-- ends, when upgradePolicy.supportType is EXTENDED (a STANDARD cluster is upgraded by AWS instead
-- and never charged extended support); `standard` before it; `unknown` when the version is not
-- in the calendar (priced at the standard fee only, and said so). The surcharge is the Price
-- List's AmazonEKS-Hours:extendedSupport, billed per cluster-hour on top of the standard fee.
-- Clusters the EKS API did not describe have no rows (their fee is the standard fee).
with hours as (
  select unnest(generate_series(window_start, window_end - interval 1 hour, interval 1 hour)) as hour
  from int_window
),
surcharge as (
  select cluster, max(price_usd) as usd_per_hour, any_value(price_source) as price_source
  from stg_aws__prices
  where product = 'eks' and usage_type like '%extendedSupport%'
  group by cluster
)
select
  c.cluster,
  h.hour,
  c.version,
  c.support_type,
  v.end_of_standard_support,
  v.end_of_extended_support,
  case
    when v.version is null then 'unknown'
    when c.support_type = 'EXTENDED' and h.hour >= v.end_of_standard_support then 'extended'
    else 'standard'
  end as support_tier,
  s.usd_per_hour as surcharge_usd_per_hour,
  coalesce(s.price_source, 'unpriced') as price_source
from stg_eks__clusters as c
cross join hours as h
left join stg_reference__eks_versions as v on v.version = c.version
left join surcharge as s using (cluster)
