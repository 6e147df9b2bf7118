select
  instance_type,
  vcpu::double as vcpu,
  memory_gib::double as memory_gib,
  arch,
  max_pods_eni,
  max_pods_mng
from ref_ec2_instance_types
where vcpu is not null
