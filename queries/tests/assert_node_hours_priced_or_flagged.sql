-- A node-hour either has a price and a source, or is flagged 'unpriced' for the report.
select cluster, node_name, hour, price_source
from int_node_hours_priced
where (price_usd_per_hour is null) <> (price_source = 'unpriced')
