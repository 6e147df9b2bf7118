-- The CPU architectures a pod may run on by its own choice: its nodeSelector's
-- `kubernetes.io/arch`, or the `kubernetes.io/arch In […]` of its required node affinity (every
-- term: what all of them allow). JSON array, e.g. ["amd64"]; NULL when the pod does not constrain
-- the architecture. The Graviton analysis reads it: a pod pinned to amd64 cannot move to Arm.
ALTER TABLE k8s_pods ADD COLUMN arch_selector VARCHAR;
