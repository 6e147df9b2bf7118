-- One row per cluster the EKS API described in the run: its Kubernetes version and support tier
-- (STANDARD | EXTENDED, what the EKS fee depends on), and whether EKS Auto Mode runs its compute.
select
  cluster,
  eks_name,
  version,
  platform_version,
  support_type,
  auto_mode_enabled,
  -- Provisioned Control Plane: the scaling tier, 'standard' when EKS leaves it out.
  coalesce(control_plane_tier, 'standard') as control_plane_tier,
  status,
  created_at
from eks_clusters
where run_id = getvariable('run_id')
