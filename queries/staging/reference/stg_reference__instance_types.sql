select
  instance_type,
  family,
  vcpu::double as vcpu,
  memory_gib::double as memory_gib,
  arch,
  gpu_count,
  max_pods_eni,
  max_pods_mng,
  default_enis,
  ipv4_per_eni
from ref_ec2_instance_types
where vcpu is not null
