/**
 * The workload a pod belongs to: its owner chain resolved to the top controller, Pod →
 * ReplicaSet → Deployment (or Argo Rollout), Pod → Job → CronJob, StatefulSet and DaemonSet as
 * they are; a pod without a controller (or one of a Node, a static pod, or of a controller we do
 * not know) stands for itself as kind `Pod`.
 */

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob" | "Job" | "Rollout" | "Pod";

export interface Workload {
  kind: WorkloadKind;
  name: string;
}

export interface OwnerRef {
  kind: string;
  name: string;
}

/**
 * The controller of a ReplicaSet or Job: `null` when it is known to have none, `undefined` when
 * it is not known (gone, or not listed).
 */
export type ParentOf = (kind: "ReplicaSet" | "Job", name: string) => OwnerRef | null | undefined;

/** A ReplicaSet's name is its Deployment's name plus `-<pod-template-hash>`. */
const REPLICASET_SUFFIX = /-[a-z0-9]{5,10}$/;
/** A CronJob's Job is its name plus `-<scheduled time in minutes>`. */
const CRONJOB_SUFFIX = /-\d{8,}$/;

/**
 * `owner`: the pod's controller reference; `null` when it has none, `undefined` when it is not
 * known (then the pod's name is all there is: see `workloadFromPodName`).
 */
export function workloadOf(
  podName: string,
  owner: OwnerRef | null | undefined,
  parentOf: ParentOf,
): Workload {
  if (owner === undefined) return workloadFromPodName(podName);
  if (owner === null || !owner.kind || !owner.name) return { kind: "Pod", name: podName };
  switch (owner.kind) {
    case "ReplicaSet": {
      const parent = parentOf("ReplicaSet", owner.name);
      if (parent?.kind === "Deployment" || parent?.kind === "Rollout")
        return { kind: parent.kind, name: parent.name };
      if (parent === null) return { kind: "Deployment", name: owner.name }; // a ReplicaSet of its own
      // The ReplicaSet is gone (or was not listed): its name still tells the Deployment.
      return { kind: "Deployment", name: owner.name.replace(REPLICASET_SUFFIX, "") };
    }
    case "Job": {
      const parent = parentOf("Job", owner.name);
      if (parent?.kind === "CronJob") return { kind: "CronJob", name: parent.name };
      if (parent === undefined && CRONJOB_SUFFIX.test(owner.name))
        return { kind: "CronJob", name: owner.name.replace(CRONJOB_SUFFIX, "") };
      return { kind: "Job", name: owner.name };
    }
    case "StatefulSet":
    case "DaemonSet":
    case "Rollout":
      return { kind: owner.kind, name: owner.name };
    default:
      return { kind: "Pod", name: podName };
  }
}

/**
 * The workload from the pod's name alone, when nothing says who owns it: `<deployment>-<rs
 * hash>-<5 chars>` is a Deployment's, `<name>-<ordinal>` a StatefulSet's, anything else a pod of
 * its own.
 */
export function workloadFromPodName(podName: string): Workload {
  const deployment = /^(.+)-[a-z0-9]{5,10}-[a-z0-9]{5}$/.exec(podName);
  if (deployment) return { kind: "Deployment", name: deployment[1]! };
  const statefulSet = /^(.+)-\d+$/.exec(podName);
  if (statefulSet) return { kind: "StatefulSet", name: statefulSet[1]! };
  return { kind: "Pod", name: podName };
}
