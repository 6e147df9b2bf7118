-- A pod the node autoscalers will not evict to remove its node: Karpenter's
-- `karpenter.sh/do-not-disrupt: "true"` or Cluster Autoscaler's
-- `cluster-autoscaler.kubernetes.io/safe-to-evict: "false"` (k8s_pods.do_not_disrupt, safe_to_evict).
CREATE OR REPLACE TEMP MACRO unevictable(do_not_disrupt, safe_to_evict) AS
  coalesce(do_not_disrupt, false) OR coalesce(safe_to_evict = 'false', false);

-- What to do about an HPA status condition that is False (autoscaling/v2: the reasons the
-- horizontal pod autoscaler controller sets), by the condition's type and reason.
CREATE OR REPLACE TEMP MACRO hpa_condition_advice(condition_type, reason) AS
  CASE
    WHEN reason IN ('FailedGetResourceMetric', 'FailedGetContainerResourceMetric')
      THEN 'the resource metrics API (metrics.k8s.io) did not answer, or a container has no request for the resource: check `kubectl get apiservice v1beta1.metrics.k8s.io`, install metrics-server if it is missing, and set the request on every container'
    WHEN reason = 'FailedGetExternalMetric'
      THEN 'the external metrics API (external.metrics.k8s.io) did not answer: install or repair the adapter that serves it (KEDA, prometheus-adapter, a cloud metrics adapter); check `kubectl get apiservice v1beta1.external.metrics.k8s.io`'
    WHEN reason IN ('FailedGetPodsMetric', 'FailedGetObjectMetric')
      THEN 'the custom metrics API (custom.metrics.k8s.io) did not answer: install or repair the adapter that serves it (prometheus-adapter, KEDA); check `kubectl get apiservice v1beta2.custom.metrics.k8s.io`'
    WHEN reason IN ('InvalidSelector', 'InvalidMetricSourceType', 'FailedConvertHPA')
      THEN 'the HPA''s spec is invalid: fix its metrics or its target''s selector'
    WHEN reason = 'ScalingDisabled'
      THEN 'its target is scaled to zero: the HPA does nothing until the workload has replicas again'
    WHEN reason = 'FailedGetScale'
      THEN 'the controller cannot read the target''s scale subresource: check scaleTargetRef (apiVersion, kind, name) and that the target exists'
    WHEN reason = 'FailedUpdateScale'
      THEN 'the controller cannot set the target''s replicas: check admission webhooks and the controller''s permissions on the scale subresource'
    ELSE format('see `kubectl describe hpa` for why {} is False', condition_type)
  END;
