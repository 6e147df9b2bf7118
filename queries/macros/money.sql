-- How far two dollar figures may differ and still be the same money. Costs are DOUBLE sums of
-- many pod-hours, and DuckDB sums in parallel, so the last digits of a total depend on the order
-- the threads add it in: on a $1M window the same allocation came out 2e-6 apart from run to
-- run. The tolerance is relative to the figure (one part in 10^8: a cent on a million dollars,
-- far above a sum's rounding of about n x 1e-16 and far below any real error), with a floor
-- of 1e-9 dollars for figures near zero. Every data test that compares money uses it.
CREATE OR REPLACE TEMP MACRO usd_tolerance(usd) AS greatest(1e-9, 1e-8 * abs(usd));
-- A dollar sum whose every digit is the same whatever order DuckDB's threads add in: each term
-- rounded to 1e-18 dollars and added as a DECIMAL (exact, up to $10^20), the total given back as
-- a DOUBLE. For the sums a figure of the report is read from, where a last bit could move a
-- rounded cent or a fourth decimal (Fargate's prices make the demo's report-renderer memory cost
-- 87.61095 exactly: float sums printed it as 87.6109 or 87.6110 by the order they added in).
CREATE OR REPLACE TEMP MACRO exact_usd_sum(usd) AS sum(usd::DECIMAL(38, 18))::DOUBLE;
