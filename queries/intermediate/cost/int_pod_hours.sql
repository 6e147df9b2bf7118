-- What each pod reserved and used, hour by hour (int_pod_hours_keyed), with its names: cluster,
-- namespace and pod, its node and its workload. For readers of a few pods or a small table; the
-- hourly models join and group int_pod_hours_keyed on its keys instead.
select
  k.cluster,
  k.namespace,
  k.pod_name,
  h.hour,
  n.node_name,
  w.workload_kind,
  w.workload_name,
  h.cpu_request_cores,
  h.cpu_usage_cores,
  h.memory_request_gib,
  h.memory_usage_gib,
  h.pod_hours,
  case when h.from_usage then 'usage' else 'requests' end as basis,
  pod_charged(h.cpu_request_cores, h.cpu_usage_cores) as cpu_charged_cores,
  pod_charged(h.memory_request_gib, h.memory_usage_gib) as memory_charged_gib,
  h.pod_key,
  h.node_key,
  h.workload_key
from int_pod_hours_keyed as h
join int_pod_keys as k using (pod_key)
left join int_node_keys as n using (node_key)
left join int_workload_keys as w using (workload_key)
