-- EBS bills a volume's provisioned GB-month prorated by the hour over the hours of the calendar
-- month the hour falls in (a 100 GB gp3 volume kept 12 hours of a 30-day month costs
-- 100 × 0.08 × 12 / 720). Every PVC figure (allocation, the unused-objects table, the storage
-- total) sums these hourly costs over the window and scales them like any other cost.
CREATE OR REPLACE TEMP MACRO ebs_usd_per_hour(size_gib, usd_per_gb_month, hour) AS
  size_gib * usd_per_gb_month / (24.0 * day(last_day(hour)));
