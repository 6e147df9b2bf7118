-- Every pod-hour on a node is priced: charged on its EC2 node-hour, billed as a Fargate pod-hour,
-- or on a node the inventory does not have (counted in mart_coverage and explained in the
-- reconciliation). A pod-hour that is none of these would be money silently left out.
with counts as (
  select
    (select count(*) from int_pod_hours_keyed where node_key is not null) as pod_hours,
    (select coalesce(sum(pods), 0) from int_node_hour_charges) as on_ec2,
    (select count(*) from int_fargate_pod_hours) as on_fargate,
    (select coalesce(sum(pod_hours_on_unknown_nodes), 0) from mart_coverage) as on_unknown_nodes
)
select * from counts where pod_hours <> on_ec2 + on_fargate + on_unknown_nodes
