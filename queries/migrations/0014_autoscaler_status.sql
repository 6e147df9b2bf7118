-- Autoscaler health beyond the spec (issue #21).
-- The status conditions of the HPA that scales a workload (autoscaling/v2 `status.conditions`):
-- JSON array of {type, status, reason, message, lastTransitionTime}, e.g. ScalingActive=False
-- with reason FailedGetResourceMetric when the metrics API it reads is not there. NULL when no
-- HPA scales the workload; [] when its HPA reports no condition yet.
ALTER TABLE k8s_workloads ADD COLUMN hpa_conditions VARCHAR;

-- Pods Pending per hour from kube-state-metrics' kube_pod_status_phase{phase="Pending"} history:
-- one row per pod and hour it was Pending at some scrape, with the share of the hour's samples it
-- was (1: all hour). The pod's workload is kube_pod_owner's, resolved as the usage's is.
CREATE TABLE prom_pending_pods_hourly (
  run_id          VARCHAR NOT NULL,
  cluster         VARCHAR NOT NULL,
  hour            TIMESTAMP NOT NULL,   -- start of the hour, UTC
  namespace       VARCHAR NOT NULL,
  pod             VARCHAR NOT NULL,
  workload_kind   VARCHAR NOT NULL,
  workload_name   VARCHAR NOT NULL,
  pending_ratio   DOUBLE NOT NULL       -- share of the hour's samples the pod was Pending, (0, 1]
);
