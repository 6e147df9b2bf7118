select
  version::varchar as version,
  eks_release::date as eks_release,
  end_of_standard_support::date as end_of_standard_support,
  end_of_extended_support::date as end_of_extended_support
from ref_eks_versions
