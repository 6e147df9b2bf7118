/**
 * The kustomize manifests in deploy/, rendered by kubectl's kustomize as a user would, and every
 * object validated against the Kubernetes schemas (kubernetes-models). Then what the schemas
 * cannot say: the CronJob runs weekly, alone, within a deadline, as a restricted non-root pod on
 * a read-only root filesystem that writes only to its history volume and TMPDIR, with a config
 * the real config schema accepts.
 *
 * kubectl must be on PATH (or named by KUBECTL), with kustomize v5; .ci/run installs it. Without
 * it these tests are skipped on a developer's machine and fail under CI=true.
 */
import { spawnSync } from "node:child_process";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { validate } from "../../src/config/load.js";
import { projectPath } from "../../src/core/paths.js";

const KUBECTL = process.env.KUBECTL ?? "kubectl";
const probe = spawnSync(KUBECTL, ["version", "--client"], { encoding: "utf8" });
const kustomizeVersion = /Kustomize Version: v(\d+)/.exec(probe.stdout ?? "")?.[1];
const usable = probe.status === 0 && Number(kustomizeVersion) >= 5;
if (!usable && process.env.CI === "true") {
  throw new Error(`${KUBECTL} with kustomize v5 is needed for the deploy tests (.ci/run installs it)`);
}

/** The schema of every kind deploy/ renders; a kind missing here fails the test. */
const MODELS: Record<string, { validate(): void } & (new (data: never) => { validate(): void })> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
  "batch/v1/CronJob": CronJob,
} as never;

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked field by field below.
type Obj = Record<string, any>;

function render(dir: string): Obj[] {
  const result = spawnSync(KUBECTL, ["kustomize", projectPath(...dir.split("/"))], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  expect(result.stderr, "kustomize warnings").toBe("");
  return parseAllDocuments(result.stdout).map((d) => d.toJS() as Obj);
}

const one = (objects: Obj[], kind: string): Obj => {
  const found = objects.filter((o) => o.kind === kind);
  expect(
    found.map((o) => o.metadata.name),
    kind,
  ).toHaveLength(1);
  return found[0]!;
};

const TARGETS = ["deploy", "deploy/overlays/example", "deploy/overlays/amp"] as const;

/** Each target rendered once, when a test first needs it. */
const rendered = new Map<string, Obj[]>();
function objectsOf(target: string): Obj[] {
  if (!rendered.has(target)) rendered.set(target, render(target));
  return rendered.get(target)!;
}

/** The CronJob, its pod spec and its one container. */
function workload(objects: Obj[]) {
  const cronJob = one(objects, "CronJob");
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  return { cronJob, pod, container: pod.containers[0] as Obj };
}

describe.skipIf(!usable)("deploy/ rendered by kubectl kustomize", () => {
  describe.each(TARGETS)("%s", (target) => {
    it("renders only objects that validate against their Kubernetes schema", () => {
      const objects = objectsOf(target);
      expect(objects.map((o) => o.kind).sort()).toEqual(
        [
          "ClusterRole",
          "ClusterRoleBinding",
          "ConfigMap",
          "CronJob",
          "Namespace",
          "PersistentVolumeClaim",
          "ServiceAccount",
        ].sort(),
      );
      for (const object of objects) {
        const Model = MODELS[`${object.apiVersion}/${object.kind}`];
        expect(Model, `${object.apiVersion} ${object.kind}`).toBeDefined();
        expect(
          () => new Model!(object as never).validate(),
          `${object.kind} ${object.metadata.name}`,
        ).not.toThrow();
      }
    });

    it("puts every namespaced object in the namespace it creates", () => {
      const objects = objectsOf(target);
      const namespace = one(objects, "Namespace").metadata.name;
      for (const object of objects.filter(
        (o) => !["Namespace", "ClusterRole", "ClusterRoleBinding"].includes(o.kind),
      )) {
        expect(object.metadata.namespace, object.kind).toBe(namespace);
      }
      expect(one(objects, "Namespace").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe(
        "restricted",
      );
    });

    it("runs weekly in UTC, one run at a time, within a deadline, keeping a short history", () => {
      const objects = objectsOf(target);
      const { cronJob, pod } = workload(objects);
      const spec = cronJob.spec;
      const [minute, hour, dayOfMonth, month, dayOfWeek] = spec.schedule.split(" ");
      expect([dayOfMonth, month]).toEqual(["*", "*"]);
      expect(dayOfWeek).toMatch(/^[0-6]$/);
      expect(`${minute} ${hour}`).toMatch(/^\d+ \d+$/);
      expect(spec.timeZone).toBe("Etc/UTC");
      expect(spec.concurrencyPolicy).toBe("Forbid");
      expect(spec.startingDeadlineSeconds).toBeGreaterThan(0);
      expect(spec.successfulJobsHistoryLimit).toBeGreaterThan(0);
      expect(spec.failedJobsHistoryLimit).toBeGreaterThan(0);
      expect(spec.jobTemplate.spec.backoffLimit).toBeGreaterThanOrEqual(0);
      expect(spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(pod.restartPolicy).toBe("Never");
    });

    it("fails the Job without a retry on a configuration error (exit 2)", () => {
      const objects = objectsOf(target);
      const { cronJob, container } = workload(objects);
      const rules = cronJob.spec.jobTemplate.spec.podFailurePolicy.rules as Obj[];
      expect(rules).toContainEqual({
        action: "FailJob",
        onExitCodes: { containerName: container.name, operator: "In", values: [2] },
      });
    });

    it("runs as a restricted, non-root pod on a read-only root filesystem", () => {
      const objects = objectsOf(target);
      const { pod, container } = workload(objects);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(container.securityContext).toEqual({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
    });

    it("asks for memory up to a 2 GiB limit and CPU without a limit", () => {
      const objects = objectsOf(target);
      const { container } = workload(objects);
      expect(container.resources.limits.memory).toBe("2Gi");
      expect(container.resources.requests.memory).toBe("2Gi");
      expect(container.resources.requests.cpu).toBeDefined();
      expect(container.resources.limits.cpu).toBeUndefined();
    });

    it("writes only to the history volume and a TMPDIR emptyDir, and reads its config from the ConfigMap", () => {
      const objects = objectsOf(target);
      const { pod, container } = workload(objects);
      const volumes = Object.fromEntries((pod.volumes as Obj[]).map((v) => [v.name, v]));
      const mounts = Object.fromEntries((container.volumeMounts as Obj[]).map((m) => [m.mountPath, m]));
      const pvc = one(objects, "PersistentVolumeClaim");
      const configMap = one(objects, "ConfigMap");
      expect(volumes[mounts["/data"].name].persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
      expect(volumes[mounts["/tmp"].name].emptyDir).toBeDefined();
      expect(container.env).toContainEqual({ name: "TMPDIR", value: "/tmp" });
      expect(mounts["/etc/capacity"].readOnly).toBe(true);
      expect(volumes[mounts["/etc/capacity"].name].configMap.name).toBe(configMap.metadata.name);
      expect(container.args).toEqual(["run", "--config", "/etc/capacity/capacity.yaml"]);
      expect(Object.keys(mounts).sort()).toEqual(["/data", "/etc/capacity", "/tmp"]);
    });

    it("carries a capacity.yaml the config schema accepts, keeping the history and reports on /data", () => {
      const objects = objectsOf(target);
      const config = validate(parse(one(objects, "ConfigMap").data["capacity.yaml"]), target);
      expect(config.database.startsWith("/data/")).toBe(true);
      expect(config.outputDir.startsWith("/data/")).toBe(true);
      expect(config.clusters).toHaveLength(1);
      expect(config.clusters[0]!.context).toBeUndefined();
    });

    it("binds the read-only ClusterRole to the pod's ServiceAccount, which names an IAM role", () => {
      const objects = objectsOf(target);
      const { pod } = workload(objects);
      const account = one(objects, "ServiceAccount");
      const binding = one(objects, "ClusterRoleBinding");
      expect(pod.serviceAccountName).toBe(account.metadata.name);
      expect(binding.roleRef).toEqual({
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: one(objects, "ClusterRole").metadata.name,
      });
      expect(binding.subjects).toEqual([
        { kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace },
      ]);
      expect(account.metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(
        /^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/,
      );
    });
  });

  it("has the example overlay set a registry image, its own role and its cluster", () => {
    const base = objectsOf("deploy");
    const example = objectsOf("deploy/overlays/example");
    const image = (objects: Obj[]) =>
      one(objects, "CronJob").spec.jobTemplate.spec.template.spec.containers[0].image;
    const role = (objects: Obj[]) =>
      one(objects, "ServiceAccount").metadata.annotations["eks.amazonaws.com/role-arn"];
    const cluster = (objects: Obj[]) =>
      parse(one(objects, "ConfigMap").data["capacity.yaml"]).clusters[0].name;
    expect(image(base)).toBe("capacity");
    expect(image(example)).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/capacity:\d+\.\d+\.\d+$/);
    expect(role(example)).not.toBe(role(base));
    expect(cluster(example)).not.toBe(cluster(base));
  });

  it("has the AMP overlay sign Prometheus queries with SigV4 against a workspace endpoint", () => {
    const config = parse(one(objectsOf("deploy/overlays/amp"), "ConfigMap").data["capacity.yaml"]);
    expect(config.prometheus.url).toMatch(
      /^https:\/\/aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com\/workspaces\/ws-[\w-]+$/,
    );
    expect(config.prometheus.sigv4Region).toBe(
      /aps-workspaces\.([a-z0-9-]+)\./.exec(config.prometheus.url)![1],
    );
    expect(config.prometheus.bearerTokenFile).toBeUndefined();
  });
});
