-- What the run's collection was limited to (runs.scope, JSON text: namespaces, clusters, and the
-- kube contexts --context/--all-contexts chose), NULL for the whole of every configured cluster:
-- the report's scope banner.
select scope from runs where run_id = $run_id
