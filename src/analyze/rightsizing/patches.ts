/**
 * Per workload, a kustomize strategic-merge patch that applies all its containers'
 * recommendations, headed by the `kubectl set resources` commands that do the same on a live
 * cluster (KRR's users asked for it, its issue #337). Written by the report as
 * `patches/<cluster>/<namespace>/<workload>.yaml`, each name escaped for a file path. Add-ons EKS
 * manages are left out (their form is `aws eks update-addon`), as are bare pods and Jobs (a
 * Job's pod template cannot change).
 */
import { cpuQuantity, memoryQuantity, type Resources } from "../../report/resources.js";

export interface PatchContainer {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  containerName: string;
  current: Resources;
  recommended: Resources | null;
  eksAddon: string | null;
}

export interface PatchFile {
  /** Path segments under the output directory, each safe as a file name. */
  path: string[];
  content: string;
}

/** Where each kind keeps its pod template, and its apiVersion. */
const KINDS: Readonly<Record<string, { apiVersion: string; template: readonly string[] }>> = {
  Deployment: { apiVersion: "apps/v1", template: ["spec", "template"] },
  StatefulSet: { apiVersion: "apps/v1", template: ["spec", "template"] },
  DaemonSet: { apiVersion: "apps/v1", template: ["spec", "template"] },
  CronJob: { apiVersion: "batch/v1", template: ["spec", "jobTemplate", "spec", "template"] },
  Rollout: { apiVersion: "argoproj.io/v1alpha1", template: ["spec", "template"] },
};

/**
 * A name as one path segment: what Kubernetes names allow ([a-z0-9.-]) kept, anything else
 * (and a leading dot, so no `.` or `..`) as `_` and its code point in hex.
 */
export function pathSegment(name: string): string {
  const escaped = [...name]
    .map((c) => (/[a-z0-9.-]/.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}`))
    .join("");
  return escaped.startsWith(".") ? `_2e${escaped.slice(1)}` : escaped || "_";
}

/** A YAML scalar: plain when safe, else double-quoted JSON. */
const scalar = (value: string) =>
  /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(value) ? value : JSON.stringify(value);

/** The container's resources; a limit it has now and the recommendation drops is `null` (deleted). */
function resourceLines(r: Resources, now: Resources, indent: string): string[] {
  const part = (cpu: number | null, memory: number | null) => [
    ...(cpu === null ? [] : [`cpu: ${cpuQuantity(cpu)}`]),
    ...(memory === null ? [] : [`memory: ${memoryQuantity(memory)}`]),
  ];
  const requests = part(r.cpuRequestCores, r.memoryRequestBytes);
  const limits = [
    ...part(r.cpuLimitCores, r.memoryLimitBytes),
    ...(r.cpuLimitCores === null && now.cpuLimitCores !== null ? ["cpu: null"] : []),
    ...(r.memoryLimitBytes === null && now.memoryLimitBytes !== null ? ["memory: null"] : []),
  ];
  return [
    `${indent}resources:`,
    ...(requests.length ? [`${indent}  requests:`, ...requests.map((l) => `${indent}    ${l}`)] : []),
    ...(limits.length ? [`${indent}  limits:`, ...limits.map((l) => `${indent}    ${l}`)] : []),
  ];
}

/** `--requests=cpu=425m,memory=883Mi`, empty when there is nothing to set. */
function setFlag(flag: string, cpu: number | null, memory: number | null): string {
  const values = [
    ...(cpu === null ? [] : [`cpu=${cpuQuantity(cpu)}`]),
    ...(memory === null ? [] : [`memory=${memoryQuantity(memory)}`]),
  ];
  return values.length ? ` --${flag}=${values.join(",")}` : "";
}

/** One patch file per workload with at least one recommended container, in the rows' order. */
export function workloadPatches(rows: readonly PatchContainer[]): PatchFile[] {
  const byWorkload = new Map<string, PatchContainer[]>();
  for (const r of rows) {
    if (!r.recommended || r.eksAddon || !KINDS[r.workloadKind]) continue;
    const key = JSON.stringify([r.cluster, r.namespace, r.workloadKind, r.workloadName]);
    byWorkload.set(key, [...(byWorkload.get(key) ?? []), r]);
  }
  return [...byWorkload.values()].map((containers) => {
    const first = containers[0]!;
    const kind = KINDS[first.workloadKind]!;
    const sorted = [...containers].sort((a, b) => (a.containerName < b.containerName ? -1 : 1));
    const commands = sorted.map((c) => {
      const r = c.recommended!;
      return `#   kubectl set resources ${first.workloadKind.toLowerCase()}/${first.workloadName} -n ${first.namespace} -c ${c.containerName}${setFlag("requests", r.cpuRequestCores, r.memoryRequestBytes)}${setFlag("limits", r.cpuLimitCores, r.memoryLimitBytes)}`;
    });
    const lines = [
      `# Right-sizing of ${first.namespace}/${first.workloadName} (${first.cluster}): a kustomize strategic-merge patch.`,
      "# On a live cluster instead (a limit the recommendation drops stays: remove it by hand):",
      ...commands,
      `apiVersion: ${kind.apiVersion}`,
      `kind: ${first.workloadKind}`,
      "metadata:",
      `  name: ${scalar(first.workloadName)}`,
      `  namespace: ${scalar(first.namespace)}`,
    ];
    let indent = "";
    for (const key of kind.template) {
      lines.push(`${indent}${key}:`);
      indent += "  ";
    }
    lines.push(`${indent}spec:`, `${indent}  containers:`);
    for (const c of sorted) {
      lines.push(
        `${indent}    - name: ${scalar(c.containerName)}`,
        ...resourceLines(c.recommended!, c.current, `${indent}      `),
      );
    }
    return {
      path: [
        "patches",
        pathSegment(first.cluster),
        pathSegment(first.namespace),
        `${pathSegment(first.workloadName)}.yaml`,
      ],
      content: `${lines.join("\n")}\n`,
    };
  });
}
