-- Surrogate keys for the hourly grains: a pod, a node and a workload as one 64-bit integer, so the
-- pod-hour and node-hour tables join and group on integers rather than on two to four strings
-- (three to ten times faster at 10,000 pods, and a fraction of the memory). The strings are
-- joined back once, at the day grain (int_cost_lines_daily) or in the compatibility views, from
-- int_pod_keys, int_node_keys and int_workload_keys. A key is a hash of the names, so two names
-- could share one: the data test assert_surrogate_keys_unique fails the analysis if they ever do.
CREATE OR REPLACE TEMP MACRO pod_key(cluster, namespace, pod) AS hash(cluster, namespace, pod);
-- No node is no key (any_value and joins then treat it as the missing name they stand for).
CREATE OR REPLACE TEMP MACRO node_key(cluster, node) AS CASE WHEN node IS NOT NULL THEN hash(cluster, node) END;
CREATE OR REPLACE TEMP MACRO workload_key(cluster, namespace, kind, name) AS
  CASE WHEN kind IS NOT NULL OR name IS NOT NULL THEN hash(cluster, namespace, kind, name) END;
