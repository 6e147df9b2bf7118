-- One row per LoadBalancer Service: the load balancer AWS runs for it and what it costs an hour
-- while it exists, whatever its traffic (capacity units, LCU, are traffic and not priced here).
-- Its type from the Service's annotations: `service.beta.kubernetes.io/aws-load-balancer-type`
-- nlb (in-tree) or external / nlb-ip (the AWS Load Balancer Controller) is a Network Load
-- Balancer, anything else the in-tree default, a Classic one. Internet-facing: the controller's
-- default is internal (`aws-load-balancer-scheme: internet-facing` makes it public), the in-tree
-- default public (`aws-load-balancer-internal` makes it internal). A public one holds a public
-- IPv4 address per zone it serves: taken as the zones the cluster's EC2 nodes are in (an
-- estimate, said in the reason). Prices from the run's aws_prices (Price List or snapshot).
with services as (
  select
    cluster,
    namespace,
    service_name,
    ready_endpoints,
    load_balancer,
    selector,
    annotations ->> '$."service.beta.kubernetes.io/aws-load-balancer-type"' as type_annotation,
    annotations ->> '$."service.beta.kubernetes.io/aws-load-balancer-scheme"' as scheme_annotation,
    annotations ->> '$."service.beta.kubernetes.io/aws-load-balancer-internal"' as internal_annotation
  from stg_kubernetes__services
  where service_type = 'LoadBalancer'
),
typed as (
  select
    *,
    case when type_annotation in ('nlb', 'nlb-ip', 'external') then 'network' else 'classic' end as lb_type,
    case when type_annotation in ('external', 'nlb-ip') then coalesce(scheme_annotation, 'internal') = 'internet-facing'
      else coalesce(lower(internal_annotation), 'false') in ('false', '') end as internet_facing
  from services
),
zones as (
  select cluster, count(distinct zone) as zones
  from stg_kubernetes__nodes
  where compute_type <> 'fargate' and zone is not null
  group by all
),
elb as (
  select cluster, instance_type as lb_type, max(price_usd) as usd_per_hour, any_value(price_source) as price_source,
    any_value(as_of) as as_of
  from stg_aws__prices
  where product = 'elb'
  group by all
),
ipv4 as (
  select cluster, max(price_usd) as usd_per_hour, any_value(price_source) as price_source
  from stg_aws__prices
  where product = 'ipv4'
  group by all
)
select
  t.cluster,
  t.namespace,
  t.service_name,
  t.selector,
  t.ready_endpoints,
  t.load_balancer,
  t.lb_type,
  t.internet_facing,
  case when t.internet_facing then coalesce(z.zones, 1) else 0 end as public_ipv4_addresses,
  e.usd_per_hour as lb_usd_per_hour,
  i.usd_per_hour as ipv4_usd_per_address_hour,
  -- Unknown (null) when the type has no price: never a guessed one.
  e.usd_per_hour + case when t.internet_facing then coalesce(z.zones, 1) * coalesce(i.usd_per_hour, 0) else 0 end
    as usd_per_hour,
  (e.usd_per_hour + case when t.internet_facing then coalesce(z.zones, 1) * coalesce(i.usd_per_hour, 0) else 0 end)
    * hours_per_month() as monthly_cost_usd,
  case
    when e.usd_per_hour is null then format('a {} load balancer: no price for its type (the Price List had none; offline, data/reference/network-prices.csv has no sourced figure)',
      case t.lb_type when 'network' then 'Network' else 'Classic' end)
    else format('a {} load balancer at {}/hour ({}{}){}',
      case t.lb_type when 'network' then 'Network' else 'Classic' end,
      printf('$%.4f', e.usd_per_hour),
      case when e.price_source = 'snapshot' then 'snapshot of ' || e.as_of else e.price_source end,
      case when t.internet_facing and i.usd_per_hour is not null
        then format(', plus {} public IPv4 address(es) at {}/hour, one per zone of the cluster''s nodes', coalesce(z.zones, 1), printf('$%.3f', i.usd_per_hour))
        when t.internet_facing then ', its public IPv4 addresses unpriced'
        else ', internal: no public address' end,
      '')
  end as price_note
from typed as t
left join zones as z using (cluster)
left join elb as e on e.cluster = t.cluster and e.lb_type = t.lb_type
left join ipv4 as i on i.cluster = t.cluster
