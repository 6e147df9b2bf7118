-- What the account's Savings Plans and Reserved Instances do to the spot recommendation, one row
-- per cluster. Coverage is of EC2 compute in the cluster's region, utilisation is the account's
-- (commitments are bought per account, not per cluster); daily figures become monthly run-rates
-- over the days Cost Explorer answered for.
-- A commitment is paid whether used or not, and covers the on-demand usage left. So moving M of
-- on-demand spend (a month) to spot saves only where it was not covered: the uncovered on-demand
-- spend U goes first; beyond U the commitment floats to nothing, is paid anyway, and the spot
-- price is paid on top. Realised saving = min(M, U) - spot cost = priced saving - max(M - U, 0),
-- and max(M - U, 0) is the commitment (at on-demand value) left unused until it expires.
with days as (
  select
    cluster,
    sum(covered_usd) filter (where commitment = 'savings-plans' and measure = 'coverage') as sp_covered_usd,
    sum(on_demand_usd) filter (where commitment = 'savings-plans' and measure = 'coverage') as sp_on_demand_usd,
    count(distinct period_start) filter (where commitment = 'savings-plans' and measure = 'coverage') as sp_days,
    sum(commitment_usd) filter (where measure = 'utilization') as sp_commitment_usd,
    sum(used_usd) filter (where measure = 'utilization') as sp_used_usd,
    sum(unused_usd) filter (where measure = 'utilization') as sp_unused_usd,
    count(distinct period_start) filter (where measure = 'utilization') as utilization_days,
    sum(covered_hours) filter (where commitment = 'reserved-instances') as ri_reserved_hours,
    sum(on_demand_hours) filter (where commitment = 'reserved-instances') as ri_on_demand_hours,
    sum(on_demand_usd) filter (where commitment = 'reserved-instances') as ri_on_demand_usd,
    count(distinct period_start) filter (where commitment = 'reserved-instances') as ri_days
  from stg_aws__commitments
  group by all
),
monthly as (
  select
    cluster,
    sp_covered_usd * hours_per_month() / nullif(sp_days * 24, 0) as sp_covered_monthly_usd,
    sp_on_demand_usd * hours_per_month() / nullif(sp_days * 24, 0) as sp_uncovered_monthly_usd,
    sp_covered_usd / nullif(sp_covered_usd + sp_on_demand_usd, 0) as sp_coverage_share,
    sp_commitment_usd * hours_per_month() / nullif(utilization_days * 24, 0) as sp_commitment_monthly_usd,
    sp_used_usd / nullif(sp_commitment_usd, 0) as sp_utilization_share,
    sp_unused_usd * hours_per_month() / nullif(utilization_days * 24, 0) as sp_unused_monthly_usd,
    ri_reserved_hours / nullif(ri_reserved_hours + ri_on_demand_hours, 0) as ri_coverage_share,
    ri_on_demand_usd * hours_per_month() / nullif(ri_days * 24, 0) as ri_uncovered_monthly_usd,
    coalesce(sp_covered_usd, 0) > 0 or coalesce(sp_commitment_usd, 0) > 0 or coalesce(ri_reserved_hours, 0) > 0
      as has_commitment
  from days
),
moved as (
  -- The on-demand spend a pool's recommended mix moves to spot: its priced saving is that spend
  -- times (on-demand - spot) / on-demand, so the spend is the saving times on-demand / (on-demand - spot).
  select
    cluster,
    sum(monthly_savings_usd) as priced_savings_usd,
    sum(monthly_savings_usd * on_demand_usd_per_vcpu_hour / (on_demand_usd_per_vcpu_hour - spot_usd_per_vcpu_hour))
      as moved_on_demand_usd
  from mart_spot_pools
  where status = 'more_spot' and monthly_savings_usd > 0 and on_demand_usd_per_vcpu_hour > spot_usd_per_vcpu_hour
  group by all
),
clusters as (
  select distinct cluster from stg_kubernetes__nodes
),
joined as (
  select
    k.cluster,
    m.* exclude (cluster),
    coalesce(v.moved_on_demand_usd, 0) as moved_on_demand_monthly_usd,
    coalesce(v.priced_savings_usd, 0) as priced_savings_monthly_usd,
    -- Uncovered on-demand after both kinds of commitment (Savings Plans coverage counts RI-covered
    -- usage as covered; without Savings Plan data, the RIs' own on-demand figure).
    coalesce(m.sp_uncovered_monthly_usd, m.ri_uncovered_monthly_usd) as uncovered_monthly_usd
  from clusters as k
  left join monthly as m using (cluster)
  left join moved as v using (cluster)
)
select
  cluster,
  case when has_commitment is null then 'no_data' when not has_commitment then 'no_commitment' else 'covered' end as status,
  sp_coverage_share,
  sp_utilization_share,
  sp_covered_monthly_usd,
  sp_commitment_monthly_usd,
  sp_unused_monthly_usd,
  ri_coverage_share,
  uncovered_monthly_usd,
  moved_on_demand_monthly_usd,
  priced_savings_monthly_usd,
  case when has_commitment then priced_savings_monthly_usd - greatest(moved_on_demand_monthly_usd - coalesce(uncovered_monthly_usd, 0), 0)
    else priced_savings_monthly_usd end as realised_savings_monthly_usd,
  case when has_commitment then greatest(moved_on_demand_monthly_usd - coalesce(uncovered_monthly_usd, 0), 0) else 0 end
    as stranded_commitment_monthly_usd,
  case
    when has_commitment is null then
      'no Savings Plans or RI coverage from Cost Explorer (not collected, or a bundle without commitments.json): spot savings assume no commitment'
    when not has_commitment then 'no Savings Plan or Reserved Instance covers EC2 in the region: spot savings stand as priced'
    else concat_ws('; ',
      case when sp_coverage_share is not null then format('Savings Plans cover {}% of EC2 on-demand-equivalent spend in the region ({} a month), {} a month left uncovered',
        round(sp_coverage_share * 100, 1), printf('$%.2f', sp_covered_monthly_usd), printf('$%.2f', coalesce(uncovered_monthly_usd, 0))) end,
      case when sp_utilization_share is not null then format('the account''s Savings Plans are {}% used ({} a month of commitment unused)',
        round(sp_utilization_share * 100, 1), printf('$%.2f', coalesce(sp_unused_monthly_usd, 0))) end,
      case when coalesce(ri_coverage_share, 0) > 0 then format('Reserved Instances cover {}% of EC2 running hours', round(ri_coverage_share * 100, 1)) end,
      case
        when moved_on_demand_monthly_usd = 0 then 'no on-demand load is recommended to move to spot'
        when moved_on_demand_monthly_usd <= coalesce(uncovered_monthly_usd, 0) then
          format('moving {} a month of on-demand to spot stays within the uncovered spend: the saving stands', printf('$%.2f', moved_on_demand_monthly_usd))
        else format('moving {} a month of on-demand to spot goes {} beyond the uncovered spend: those hours are covered, so moving them saves nothing until the commitment expires and leaves it under-used; the saving falls from {} to {}',
          printf('$%.2f', moved_on_demand_monthly_usd), printf('$%.2f', moved_on_demand_monthly_usd - coalesce(uncovered_monthly_usd, 0)),
          printf('$%.2f', priced_savings_monthly_usd),
          printf('$%.2f', priced_savings_monthly_usd - (moved_on_demand_monthly_usd - coalesce(uncovered_monthly_usd, 0))))
      end)
  end as reason
from joined
