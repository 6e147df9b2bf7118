/** A large synthetic cluster for benchmarks: N nodes, 10 pods each, in Deployments of 10 replicas. */
type Item = Record<string, unknown>;

export function syntheticCluster(nodeCount: number, podsPerNode = 10): Record<string, Item[]> {
  const nodes: Item[] = [];
  const pods: Item[] = [];
  const deployments: Item[] = [];
  const replicasets: Item[] = [];
  const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
  for (let n = 0; n < nodeCount; n++) {
    const name = `ip-10-${Math.floor(n / 250)}-${n % 250}-1.ec2.internal`;
    nodes.push({
      metadata: {
        name,
        creationTimestamp: "2026-10-01T00:00:00Z",
        labels: {
          "node.kubernetes.io/instance-type": "m6i.2xlarge",
          "karpenter.sh/capacity-type": n % 3 === 0 ? "spot" : "on-demand",
          "karpenter.sh/nodepool": "general",
          "topology.kubernetes.io/region": "us-east-1",
          "topology.kubernetes.io/zone": zones[n % 3],
          "kubernetes.io/arch": "amd64",
          "kubernetes.io/os": "linux",
        },
      },
      spec: { providerID: `aws:///${zones[n % 3]}/i-0${n.toString(16).padStart(16, "0")}` },
      status: {
        capacity: { cpu: "8", memory: "31928528Ki", pods: "58" },
        allocatable: { cpu: "7910m", memory: "30911696Ki", pods: "58" },
        nodeInfo: { architecture: "amd64", operatingSystem: "linux" },
      },
    });
  }
  const total = nodeCount * podsPerNode;
  for (let d = 0; d < total / 10; d++) {
    const ns = `team-${d % 40}`;
    const name = `svc-${d}`;
    const hash = `${(d * 2654435761).toString(36).slice(-8)}`;
    const labels = { "app.kubernetes.io/name": name, team: `team-${d % 40}` };
    const containers = [
      {
        name: "app",
        image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}:1.0.${d % 17}`,
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } },
      },
      {
        name: "envoy",
        image: "envoyproxy/envoy:v1.31.0",
        resources: { requests: { cpu: "50m", memory: "64Mi" } },
      },
    ];
    deployments.push({
      metadata: { name, namespace: ns, creationTimestamp: "2026-09-01T00:00:00Z", labels },
      spec: {
        replicas: 10,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers } },
      },
      status: { readyReplicas: 10 },
    });
    replicasets.push({
      metadata: {
        name: `${name}-${hash}`,
        namespace: ns,
        ownerReferences: [{ kind: "Deployment", name, controller: true }],
      },
      spec: { replicas: 10 },
    });
    for (let r = 0; r < 10; r++) {
      const i = d * 10 + r;
      pods.push({
        metadata: {
          name: `${name}-${hash}-${r.toString(36).padStart(5, "x")}`,
          namespace: ns,
          uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`,
          creationTimestamp: "2026-11-01T00:00:00Z",
          labels: { ...labels, "pod-template-hash": hash },
          annotations: { "kubectl.kubernetes.io/restartedAt": "2026-11-01T00:00:00Z" },
          ownerReferences: [
            { apiVersion: "apps/v1", kind: "ReplicaSet", name: `${name}-${hash}`, controller: true },
          ],
        },
        spec: {
          nodeName: nodes[i % nodeCount]!.metadata
            ? (nodes[i % nodeCount]!.metadata as { name: string }).name
            : "",
          containers,
          volumes: [{ name: "kube-api-access", projected: { sources: [] } }],
          terminationGracePeriodSeconds: 30,
        },
        status: {
          phase: "Running",
          qosClass: "Burstable",
          startTime: "2026-11-01T00:00:05Z",
          containerStatuses: containers.map((c) => ({
            name: c.name,
            restartCount: 0,
            ready: true,
            image: c.image,
          })),
        },
      });
    }
  }
  const namespaces = Array.from({ length: 40 }, (_, i) => ({
    metadata: { name: `team-${i}` },
    status: { phase: "Active" },
  }));
  return {
    namespaces,
    nodes,
    pods,
    deployments,
    replicasets,
    statefulsets: [],
    daemonsets: [],
    jobs: [],
    cronjobs: [],
    horizontalpodautoscalers: [],
    poddisruptionbudgets: [],
    persistentvolumeclaims: [],
    persistentvolumes: [],
    services: [],
    ingresses: [],
    endpointslices: [],
  };
}
