-- What the forecast's pre-scale plan reads of the cluster's own history (issue 18).
-- Lead times: a node's Ready condition (its lastTransitionTime while True: when it became Ready,
-- unless it flapped since), a pod's PodScheduled condition (True: when it was bound to a node) and
-- when its last container started (state.running.startedAt, only while no container restarted:
-- a restart moves that time). NULL when the object does not say.
ALTER TABLE k8s_nodes ADD COLUMN ready_at TIMESTAMP;
ALTER TABLE k8s_pods ADD COLUMN scheduled_at TIMESTAMP;
ALTER TABLE k8s_pods ADD COLUMN containers_started_at TIMESTAMP;

