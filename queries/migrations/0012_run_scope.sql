-- The scope a run was collected with (`-n/--namespace`, `--cluster`): NULL for the whole cluster,
-- else a JSON object {"namespaces": [...], "clusters": [...]}. A scoped run asked Prometheus for
-- its namespaces only, so its usage is never reused by a later run (prometheus.incremental), and
-- what reads it can say that its usage covers the scope, not the cluster.
ALTER TABLE runs ADD COLUMN scope VARCHAR;
