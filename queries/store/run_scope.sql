-- What a run's collection was limited to (runs.scope, JSON text), NULL for the whole cluster.
select scope from runs where run_id = $1
