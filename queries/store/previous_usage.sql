-- The latest run that stored a whole window of usage for a cluster ($1) live: a later run reuses
-- its hours instead of asking Prometheus again (prometheus.incremental). A run whose queries left
-- namespace-days out (gaps) is not reused: those days are asked again, and neither is a run scoped
-- to some namespaces (runs.scope's namespaces, -n): it holds their usage only. A run scoped to
-- clusters or kube contexts holds each of its clusters' whole usage. Window bounds as epoch ms.
select
  r.run_id,
  epoch_ms(r.window_start) as window_start_ms,
  epoch_ms(r.window_end) as window_end_ms
from runs as r
join run_sources as s using (run_id)
where
  s.cluster = $1
  and s.source = 'prometheus'
  and s.origin = 'live'
  and s.status in ('ok', 'partial')
  and s.rows > 0
  and coalesce(json_array_length(r.scope::json -> 'namespaces'), 0) = 0
  and coalesce(json_array_length(s.detail::json -> 'gaps'), 0) = 0
order by r.started_at desc, r.run_id desc
limit 1
