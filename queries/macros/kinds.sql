-- The workload kinds and namespaces of cost lines that are no workload: idle EC2 capacity (one
-- line per capacity pool), the EKS cluster fee, and a bound PVC no pod mounts. Models use these
-- instead of the literals, so a report, a filter and a total never disagree on a spelling.
CREATE OR REPLACE TEMP MACRO idle_kind() AS 'Idle';
CREATE OR REPLACE TEMP MACRO idle_namespace() AS '(idle)';
CREATE OR REPLACE TEMP MACRO control_plane_kind() AS 'ControlPlane';
CREATE OR REPLACE TEMP MACRO control_plane_namespace() AS '(cluster)';
CREATE OR REPLACE TEMP MACRO unmounted_pvc_kind() AS 'PersistentVolumeClaim';
-- Idle capacity and the cluster fee are shared by every workload; a PVC line is owned.
CREATE OR REPLACE TEMP MACRO is_shared_kind(kind) AS kind IN (idle_kind(), control_plane_kind());
