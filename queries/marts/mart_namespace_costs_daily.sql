-- Cost per cluster, day and namespace, from the daily cost lines (idle and the EKS fee on rows
-- of their own, as in mart_cost_allocation): the report's daily cost by namespace. A row per day
-- and namespace, kept per run. `window_hours` is the hours of the day the window holds (24 on a
-- whole day): a day the window cuts costs less because it is shorter, and says so.
select
  l.cluster,
  l.date,
  l.namespace,
  exact_usd_sum(l.cost_usd) as cost_usd,
  (epoch(least(l.date::timestamp + interval 1 day, any_value(w.window_end)))
    - epoch(greatest(l.date::timestamp, any_value(w.window_start)))) / 3600.0 as window_hours
from int_cost_lines_daily as l
cross join int_window as w
group by l.cluster, l.date, l.namespace
