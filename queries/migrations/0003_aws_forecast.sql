-- Cost Explorer's forecast for the rest of the month (GetCostForecast), per cluster.
CREATE TABLE aws_cost_forecast (
  run_id          VARCHAR NOT NULL,
  cluster         VARCHAR NOT NULL,
  period_start    DATE NOT NULL,
  period_end      DATE NOT NULL,             -- exclusive
  metric          VARCHAR NOT NULL,
  mean_usd        DECIMAL(38, 10) NOT NULL,
  lower_usd       DECIMAL(38, 10),           -- the prediction interval's bounds
  upper_usd       DECIMAL(38, 10),
  interval_level  INTEGER,                   -- e.g. 80 (%)
  tag_filter      VARCHAR,
  source          VARCHAR NOT NULL           -- cost-explorer
);
