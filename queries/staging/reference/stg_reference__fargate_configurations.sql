select vcpu::double as vcpu, memory_gib::double as memory_gib
from ref_fargate_configurations
