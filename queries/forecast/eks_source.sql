-- How the run's `eks` source went for one cluster ($1): why its subnets may be missing.
select status, coalesce(error, '') as error
from run_sources
where run_id = getvariable('run_id') and cluster = $1 and source = 'eks'
