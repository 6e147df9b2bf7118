-- A pod the node autoscalers will not evict to remove its node: Karpenter's
-- `karpenter.sh/do-not-disrupt: "true"` or Cluster Autoscaler's
-- `cluster-autoscaler.kubernetes.io/safe-to-evict: "false"` (k8s_pods.do_not_disrupt, safe_to_evict).
CREATE OR REPLACE TEMP MACRO unevictable(do_not_disrupt, safe_to_evict) AS
  coalesce(do_not_disrupt, false) OR coalesce(safe_to_evict = 'false', false);
