-- What a pod is charged for a resource in an hour: the larger of its request and its usage (its
-- request alone when there is no usage). Computed where the pod-hours are read rather than stored
-- with them, so that int_pod_hours_keyed, the largest table of the models, holds two fewer columns.
CREATE OR REPLACE TEMP MACRO pod_charged(request, usage) AS greatest(request, coalesce(usage, 0));
