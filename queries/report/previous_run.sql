-- The analyzed run before this one (by start time): what week over week compares with.
select r.run_id, r.window_start, r.window_end
from runs r
join analyses a on a.run_id = r.run_id
where r.started_at < (select started_at from runs where run_id = $run_id)
order by r.started_at desc, r.run_id desc
limit 1
