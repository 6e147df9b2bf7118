-- The workload kinds and namespaces of cost lines that are no workload: idle EC2 capacity (one
-- line per capacity pool), the EKS cluster fee, the nodes' own volumes, and a bound PVC no pod mounts. Models use these
-- instead of the literals, so a report, a filter and a total never disagree on a spelling.
CREATE OR REPLACE TEMP MACRO idle_kind() AS 'Idle';
CREATE OR REPLACE TEMP MACRO idle_namespace() AS '(idle)';
CREATE OR REPLACE TEMP MACRO control_plane_kind() AS 'ControlPlane';
CREATE OR REPLACE TEMP MACRO control_plane_namespace() AS '(cluster)';
CREATE OR REPLACE TEMP MACRO unmounted_pvc_kind() AS 'PersistentVolumeClaim';
-- The EBS volumes of the EC2 nodes no PV names (root volumes): a line of their own, in the
-- cluster's namespace like the fee.
CREATE OR REPLACE TEMP MACRO node_volume_kind() AS 'NodeVolumes';
-- Idle capacity, the cluster fee and the nodes' own volumes are shared by every workload; a PVC line is owned.
CREATE OR REPLACE TEMP MACRO is_shared_kind(kind) AS kind IN (idle_kind(), control_plane_kind(), node_volume_kind());
