-- A month is 730 hours (365 × 24 / 12) wherever a figure is "per month": run-rates scale the
-- window's cost by hours_per_month() / hours in the window, and savings priced per hour are
-- multiplied by it. (EBS is billed by the calendar month's own hours: see ebs.sql.)
CREATE OR REPLACE TEMP MACRO hours_per_month() AS 730.0;
