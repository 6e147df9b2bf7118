-- The Arm (Graviton) equivalent of each x86 instance type an EC2 pool runs: the same category and
-- size in the 7th Graviton generation, else the 6th (m6i/m7i/m6a/m5 → m7g, else m6g; c → c7g;
-- r → r7g; t3/t3a → t4g), as data/reference lists it, with both types' vCPU and memory and their
-- on-demand and spot prices: the run's own (Pricing API, spot history) where it has them, else the
-- dated snapshot in data/reference for on-demand. A spot price never comes from anywhere else.
with used as (
  select distinct cluster, region, instance_type
  from stg_kubernetes__nodes
  where compute_type <> 'fargate' and instance_type is not null
),
x86 as (
  select
    u.cluster,
    u.region,
    u.instance_type,
    t.vcpu,
    t.memory_gib,
    regexp_extract(t.family, '^([a-z]+)[0-9]', 1) as category,
    split_part(u.instance_type, '.', 2) as size
  from used as u
  join stg_reference__instance_types as t using (instance_type)
  where t.arch = 'x86_64'
),
candidates as (
  select
    x.*,
    a.instance_type as arm_instance_type,
    a.vcpu as arm_vcpu,
    a.memory_gib as arm_memory_gib,
    row_number() over (
      partition by x.cluster, x.instance_type
      order by case a.family when x.category || '7g' then 1 when x.category || '6g' then 2 else 3 end
    ) as preference
  from x86 as x
  join stg_reference__instance_types as a
    on a.arch = 'arm64'
    and split_part(a.instance_type, '.', 2) = x.size
    and a.family in (x.category || '7g', x.category || '6g', case when x.category = 't' then 't4g' end)
),
on_demand as (
  select cluster, instance_type, avg(price_usd) as usd_per_hour, any_value(price_source) as price_source
  from stg_aws__prices
  where product = 'ec2' and unit = 'Hrs' and instance_type is not null
  group by all
),
spot as (
  select cluster, instance_type, avg(price_usd_per_hour) as usd_per_hour
  from stg_aws__spot_prices
  group by all
)
select
  c.cluster,
  c.instance_type,
  c.vcpu,
  c.memory_gib,
  c.arm_instance_type,
  c.arm_vcpu,
  c.arm_memory_gib,
  coalesce(xo.usd_per_hour, xr.usd_per_hour) as on_demand_usd_per_hour,
  coalesce(ao.usd_per_hour, ar.usd_per_hour) as arm_on_demand_usd_per_hour,
  case
    when ao.usd_per_hour is not null then ao.price_source
    when ar.usd_per_hour is not null then 'snapshot'
  end as arm_on_demand_source,
  xs.usd_per_hour as spot_usd_per_hour,
  arms.usd_per_hour as arm_spot_usd_per_hour
from candidates as c
left join on_demand as xo on xo.cluster = c.cluster and xo.instance_type = c.instance_type
left join stg_reference__ec2_prices as xr on xr.region = c.region and xr.instance_type = c.instance_type
left join on_demand as ao on ao.cluster = c.cluster and ao.instance_type = c.arm_instance_type
left join stg_reference__ec2_prices as ar on ar.region = c.region and ar.instance_type = c.arm_instance_type
left join spot as xs on xs.cluster = c.cluster and xs.instance_type = c.instance_type
left join spot as arms on arms.cluster = c.cluster and arms.instance_type = c.arm_instance_type
where c.preference = 1
