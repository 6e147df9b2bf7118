-- One row per LoadBalancer Service and per Ingress of the AWS Load Balancer Controller (class
-- alb): the load balancer AWS runs for it and what it costs an hour
-- while it exists, whatever its traffic (capacity units, LCU, are traffic and not priced here).
-- Its type from the Service's annotations: `service.beta.kubernetes.io/aws-load-balancer-type`
-- nlb (in-tree) or external / nlb-ip (the AWS Load Balancer Controller) is a Network Load
-- Balancer, anything else the in-tree default, a Classic one. Internet-facing: the controller's
-- default is internal (`aws-load-balancer-scheme: internet-facing` makes it public), the in-tree
-- default public (`aws-load-balancer-internal` makes it internal). A public one holds a public
-- IPv4 address per zone it serves: taken as the zones the cluster's EC2 nodes are in (an
-- estimate, said in the reason). An alb Ingress runs an Application Load Balancer, internal
-- unless `alb.ingress.kubernetes.io/scheme: internet-facing`; Ingresses of one
-- `alb.ingress.kubernetes.io/group.name` share one, priced on the first of them; its ready
-- endpoints are those of every Service the group's rules send to. (An IngressClass named other
-- than alb for the controller is not recognised: IngressClasses are not collected.)
-- Prices from the run's aws_prices (Price List or snapshot).
with ingresses as (
  select
    i.*,
    coalesce('group ' || (i.annotations ->> '$."alb.ingress.kubernetes.io/group.name"'), i.namespace || '/' || i.ingress_name)
      as alb,
    coalesce(i.annotations ->> '$."alb.ingress.kubernetes.io/scheme"', 'internal') = 'internet-facing' as internet_facing
  from stg_kubernetes__ingresses as i
  where i.ingress_class = 'alb'
),
alb_endpoints as (
  select i.cluster, i.alb, sum(coalesce(s.ready_endpoints, 0)) as ready_endpoints,
    bool_and(s.ready_endpoints is not null) as known
  from (select cluster, alb, namespace, unnest(from_json(backend_services, '["VARCHAR"]')) as service_name from ingresses) as i
  left join stg_kubernetes__services as s using (cluster, namespace, service_name)
  group by all
),
alb_rows as (
  select
    i.cluster,
    'Ingress' as object_kind,
    i.namespace,
    i.ingress_name as service_name,
    case when e.known then e.ready_endpoints end as ready_endpoints,
    i.load_balancer,
    null as selector,
    'application' as lb_type,
    i.internet_facing,
    -- The group's ALB is priced once, on its first Ingress.
    row_number() over (partition by i.cluster, i.alb order by i.namespace, i.ingress_name) = 1 as priced_here,
    i.alb
  from ingresses as i
  left join alb_endpoints as e using (cluster, alb)
),
services as (
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
    cluster,
    'Service' as object_kind,
    namespace,
    service_name,
    ready_endpoints,
    load_balancer,
    selector,
    case when type_annotation in ('nlb', 'nlb-ip', 'external') then 'network' else 'classic' end as lb_type,
    case when type_annotation in ('external', 'nlb-ip') then coalesce(scheme_annotation, 'internal') = 'internet-facing'
      else coalesce(lower(internal_annotation), 'false') in ('false', '') end as internet_facing,
    true as priced_here,
    null as alb
  from services
  union all by name
  select * from alb_rows
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
  t.object_kind,
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
  -- Unknown (null) when the type has no price: never a guessed one; 0 on an Ingress whose group's
  -- load balancer is priced on another.
  case when t.priced_here then
    e.usd_per_hour + case when t.internet_facing then coalesce(z.zones, 1) * coalesce(i.usd_per_hour, 0) else 0 end
  else 0 end as usd_per_hour,
  case when t.priced_here then
    (e.usd_per_hour + case when t.internet_facing then coalesce(z.zones, 1) * coalesce(i.usd_per_hour, 0) else 0 end)
    * hours_per_month()
  else 0 end as monthly_cost_usd,
  case
    when not t.priced_here then format('shares the Application load balancer of {} (priced on its first Ingress)', t.alb)
    when e.usd_per_hour is null then format('{} load balancer: no price for its type (the Price List had none; offline, data/reference/network-prices.csv has no sourced figure)',
      case t.lb_type when 'network' then 'a Network' when 'application' then 'an Application' else 'a Classic' end)
    else format('{} load balancer at {}/hour ({}{}){}',
      case t.lb_type when 'network' then 'a Network' when 'application' then 'an Application' else 'a Classic' end,
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
