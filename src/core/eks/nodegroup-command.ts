/** The AWS CLI call that changes a managed node group's scaling bounds (EKS UpdateNodegroupConfig). */
export function nodegroupScalingCommand(
  cluster: string,
  nodegroup: string,
  sizes: { minSize?: number; maxSize?: number },
): string {
  const config = Object.entries(sizes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return `aws eks update-nodegroup-config --cluster-name ${cluster} --nodegroup-name ${nodegroup} --scaling-config ${config}`;
}
