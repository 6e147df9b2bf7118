-- An empty Parquet file ($1) with the CUR 2.0 columns AWS writes only sometimes
-- (split_line_item_net_*: only in a billing period with a discount; public on-demand cost):
-- read beside an export's object with union_by_name, the lines of an object without them read
-- them as NULL, while a missing required column still fails, named (cur_parquet_columns.sql).
copy (
  select
    null::double as split_line_item_net_split_cost,
    null::double as split_line_item_net_unused_cost,
    null::double as split_line_item_public_on_demand_split_cost
  limit 0
) to $1 (format parquet)
