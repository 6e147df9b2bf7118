-- The EKS release calendar (data/reference/eks-kubernetes-versions.csv): per Kubernetes minor
-- version, the UTC day standard support ends and the day extended support ends.
select
  major::varchar || '.' || minor::varchar as version,
  eks_release::date as eks_release,
  end_of_standard_support::date as end_of_standard_support,
  end_of_extended_support::date as end_of_extended_support,
  source as calendar_source
from ref_eks_versions
