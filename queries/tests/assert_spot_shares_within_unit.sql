-- Every spot share of a pool (spot-ready, current, recommended) lies in [0, 1], and the recommended
-- one never exceeds the spot-ready share unless today's already does (then it is brought down to it).
select cluster, capacity_pool, spot_ready_share, current_spot_share, recommended_spot_share
from mart_spot_pools
where spot_ready_share not between 0 and 1
  or current_spot_share not between 0 and 1
  or recommended_spot_share not between 0 and 1
  or recommended_spot_share > spot_ready_share + 1e-9
