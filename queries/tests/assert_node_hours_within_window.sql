select cluster, node_name, hour, node_hours
from int_node_hours
where node_hours <= 0 or node_hours > 1
