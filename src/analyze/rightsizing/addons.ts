/**
 * Containers of add-ons EKS manages (kube-proxy, the VPC CNI, CoreDNS, the EBS CSI driver, the
 * Pod Identity agent): their requests are set by the add-on's configuration values, and EKS puts
 * back any edit of their manifests. Their recommendation is the `aws eks update-addon
 * --configuration-values` form, at the place each add-on's configuration schema keeps the
 * container's resources, and never a limit the add-on does not set.
 */
import { cpuQuantity, memoryQuantity, type Resources } from "../../report/resources.js";

export interface ManagedAddon {
  /** The EKS add-on's name (`vpc-cni`). */
  name: string;
  /** Where its configuration values keep this container's `resources` (`["nodeAgent"]`). */
  path: readonly string[];
}

/** By `namespace/kind/workload/container`, in kube-system as EKS installs them. */
const ADDONS: Readonly<Record<string, ManagedAddon>> = {
  "kube-system/DaemonSet/kube-proxy/kube-proxy": { name: "kube-proxy", path: [] },
  "kube-system/DaemonSet/aws-node/aws-node": { name: "vpc-cni", path: [] },
  "kube-system/DaemonSet/aws-node/aws-eks-nodeagent": { name: "vpc-cni", path: ["nodeAgent"] },
  "kube-system/Deployment/coredns/coredns": { name: "coredns", path: [] },
  "kube-system/Deployment/ebs-csi-controller/ebs-plugin": {
    name: "aws-ebs-csi-driver",
    path: ["controller"],
  },
  "kube-system/DaemonSet/ebs-csi-node/ebs-plugin": { name: "aws-ebs-csi-driver", path: ["node"] },
  "kube-system/DaemonSet/eks-pod-identity-agent/eks-pod-identity-agent": {
    name: "eks-pod-identity-agent",
    path: [],
  },
};

export function managedAddon(row: {
  namespace: string;
  workloadKind: string;
  workloadName: string;
  containerName: string;
}): ManagedAddon | null {
  return ADDONS[`${row.namespace}/${row.workloadKind}/${row.workloadName}/${row.containerName}`] ?? null;
}

/** The recommendation without the limits the add-on does not set now. */
export function addonResources(recommended: Resources, current: Resources): Resources {
  return {
    ...recommended,
    cpuLimitCores: current.cpuLimitCores === null ? null : recommended.cpuLimitCores,
    memoryLimitBytes: current.memoryLimitBytes === null ? null : recommended.memoryLimitBytes,
  };
}

/** The add-on's configuration values holding the container's resources, as JSON. */
export function configurationValues(addon: ManagedAddon, r: Resources): string {
  const part = (cpu: number | null, memory: number | null) => ({
    ...(cpu === null ? {} : { cpu: cpuQuantity(cpu) }),
    ...(memory === null ? {} : { memory: memoryQuantity(memory) }),
  });
  const requests = part(r.cpuRequestCores, r.memoryRequestBytes);
  const limits = part(r.cpuLimitCores, r.memoryLimitBytes);
  let values: Record<string, unknown> = {
    resources: {
      ...(Object.keys(requests).length ? { requests } : {}),
      ...(Object.keys(limits).length ? { limits } : {}),
    },
  };
  for (const key of [...addon.path].reverse()) values = { [key]: values };
  return JSON.stringify(values);
}

/** What to paste for an add-on's container: the command, with what to merge it with. */
export function addonLines(cluster: string, addon: ManagedAddon, r: Resources): string[] {
  return [
    `# ${addon.name} is an EKS add-on: its requests are set by the add-on's configuration values.`,
    "# The values below replace the current ones: merge them with",
    `#   aws eks describe-addon --cluster-name ${cluster} --addon-name ${addon.name} --query addon.configurationValues`,
    `aws eks update-addon --cluster-name ${cluster} --addon-name ${addon.name} \\`,
    `  --configuration-values '${configurationValues(addon, r)}'`,
  ];
}
