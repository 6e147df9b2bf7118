-- The run's history window as one row; monthly run-rates scale by hours_per_month() / hours_in_window.
select
  getvariable('window_start')::timestamp as window_start,
  getvariable('window_end')::timestamp as window_end,
  (epoch(getvariable('window_end')::timestamp) - epoch(getvariable('window_start')::timestamp)) / 3600.0 as hours_in_window,
  hours_per_month() / ((epoch(getvariable('window_end')::timestamp) - epoch(getvariable('window_start')::timestamp)) / 3600.0) as monthly_factor
