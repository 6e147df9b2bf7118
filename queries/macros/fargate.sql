-- Fargate's billed size of a pod, as EKS computes it (src/core/eks/fargate.ts is the same rule in
-- TypeScript; test/unit/eks/fargate-agreement.test.ts runs both on the same pods).
-- For CPU and memory apart, the pod needs the larger of its largest init container and the sum of
-- its long-running containers, native sidecars (init containers with restartPolicy Always,
-- container_type 'sidecar') counted with the long-running ones; Fargate adds 256 MiB for the
-- kubelet, kube-proxy and containerd, then rounds up to the smallest valid vCPU/memory pair of
-- ref_fargate_configurations (the smallest vCPU first, then the smallest memory).

-- The pod's need for one resource, from the sum of its long-running containers' requests and the
-- largest of its init containers' (either may be null: no such container or no request).
CREATE OR REPLACE TEMP MACRO pod_need(long_running_sum, init_max) AS
  greatest(coalesce(long_running_sum, 0), coalesce(init_max, 0));

-- Aggregates over a pod's containers: the sum of its long-running ones (native sidecars included),
-- the largest of its init containers, and the pod's need from both:
-- pod_request(cpu_request_cores, container_type).
CREATE OR REPLACE TEMP MACRO long_running_request(request, container_type) AS
  sum(request) FILTER (WHERE container_type <> 'init');
CREATE OR REPLACE TEMP MACRO init_request(request, container_type) AS
  max(request) FILTER (WHERE container_type = 'init');
CREATE OR REPLACE TEMP MACRO pod_request(request, container_type) AS
  pod_need(long_running_request(request, container_type), init_request(request, container_type));

CREATE OR REPLACE TEMP MACRO fargate_overhead_bytes() AS 256 * 1048576;

-- {vcpu, memory_gib} of the smallest configuration that holds the pod's need (null when none does).
CREATE OR REPLACE TEMP MACRO fargate_size(cpu_need_cores, memory_need_bytes) AS (
  SELECT {
    'vcpu': arg_min(vcpu::double, vcpu * 1000 + memory_gib),
    'memory_gib': arg_min(memory_gib::double, vcpu * 1000 + memory_gib)
  }
  FROM ref_fargate_configurations
  WHERE vcpu >= cpu_need_cores
    AND memory_gib >= (memory_need_bytes + fargate_overhead_bytes()) / 1073741824.0
);
