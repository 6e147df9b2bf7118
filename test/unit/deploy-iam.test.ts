/**
 * The IAM policies in deploy/ grant exactly what the code calls: every AWS SDK command sent under
 * src/collect/ has its action in deploy/iam-policy.json and the policy has nothing more; the AMP
 * overlay's policy covers exactly the Prometheus API calls the collector makes. The trust
 * policies let in only capacity's service account.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { projectPath } from "../../src/core/paths.js";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string>>;
}

const policy = (...path: string[]) =>
  (JSON.parse(readFileSync(projectPath("deploy", ...path), "utf8")) as { Statement: Statement[] }).Statement;
const actions = (statements: Statement[]) => statements.flatMap((s) => s.Action).sort();

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [readFileSync(join(dir, entry.name), "utf8")]
        : [],
  );
}

/** The IAM service prefix of each AWS SDK client package the collectors use. */
const PREFIX: Record<string, string> = {
  "@aws-sdk/client-cost-explorer": "ce",
  "@aws-sdk/client-pricing": "pricing",
  "@aws-sdk/client-ec2": "ec2",
  "@aws-sdk/client-eks": "eks",
};

/** `service:Action` for every `new XCommand(` sent, from the client package X is imported from. */
function sdkActions(): string[] {
  const found = new Set<string>();
  for (const text of sources(projectPath("src", "collect"))) {
    const importedFrom = new Map<string, string>();
    for (const [, names = "", pkg = ""] of text.matchAll(
      /import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[\w-]+)"/g,
    )) {
      for (const name of names.split(",").map((n) => n.replace(/^\s*type\s+/, "").trim()))
        importedFrom.set(name, pkg);
    }
    for (const [, command = ""] of text.matchAll(/new\s+(\w+)Command\(/g)) {
      const pkg = importedFrom.get(`${command}Command`);
      expect(pkg, `${command}Command is imported from an AWS SDK client`).toBeDefined();
      expect(PREFIX[pkg!], `IAM prefix of ${pkg}`).toBeDefined();
      found.add(`${PREFIX[pkg!]}:${command}`);
    }
  }
  return [...found].sort();
}

/**
 * The IAM action of each Prometheus HTTP API call the collector makes, as Amazon Managed Service
 * for Prometheus authorizes it; `null`: a call it may refuse without harm (the build info).
 */
const AMP_ACTION: Record<string, string | null> = {
  rangeQuery: "aps:QueryMetrics",
  instantQuery: "aps:QueryMetrics",
  labelValues: "aps:GetLabels",
  series: "aps:GetSeries",
  labelNames: "aps:GetLabels",
  statusBuildinfo: null,
};

function prometheusCalls(): string[] {
  const text = readFileSync(projectPath("src", "collect", "prometheus", "client.ts"), "utf8");
  return [...new Set([...text.matchAll(/this\.\w*[dD]river\.(\w+)\(/g)].map((m) => m[1]!))].sort();
}

describe("deploy/iam-policy.json", () => {
  it("allows exactly the AWS SDK commands the collectors send", () => {
    const sent = sdkActions();
    expect(sent.length).toBeGreaterThan(0);
    expect(actions(policy("iam-policy.json"))).toEqual(sent);
  });

  it("only allows, and only read actions", () => {
    for (const statement of policy("iam-policy.json")) expect(statement.Effect).toBe("Allow");
    for (const action of actions(policy("iam-policy.json"))) expect(action).toMatch(/:(Get|Describe|List)/);
  });
});

describe("deploy/overlays/amp/iam-policy-amp.json", () => {
  it("allows exactly the AMP actions of the Prometheus API calls the collector makes, on one workspace", () => {
    const calls = prometheusCalls();
    for (const call of calls) expect(Object.keys(AMP_ACTION), `the AMP action of ${call}`).toContain(call);
    const needed = [
      ...new Set(calls.map((c) => AMP_ACTION[c]).filter((a): a is string => a !== null)),
    ].sort();
    const statements = policy("overlays", "amp", "iam-policy-amp.json");
    expect(actions(statements)).toEqual(needed);
    for (const statement of statements)
      expect(statement.Resource).toMatch(/^arn:aws:aps:[a-z0-9-]+:\d{12}:workspace\/ws-/);
  });
});

describe("the trust policies", () => {
  const account = parseAllDocuments(readFileSync(projectPath("deploy", "base", "rbac.yaml"), "utf8"))
    .map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string } })
    .find((d) => d.kind === "ServiceAccount")!;

  it("lets only capacity's service account assume the role through IRSA", () => {
    const [statement, ...rest] = policy("iam-trust-policy.json");
    expect(rest).toEqual([]);
    expect(statement!.Action).toBe("sts:AssumeRoleWithWebIdentity");
    const provider = /:oidc-provider\/(.+)$/.exec(statement!.Principal!.Federated!)![1];
    expect(statement!.Condition).toEqual({
      StringEquals: {
        [`${provider}:sub`]: `system:serviceaccount:${account.metadata.namespace}:${account.metadata.name}`,
        [`${provider}:aud`]: "sts.amazonaws.com",
      },
    });
  });

  it("lets EKS Pod Identity assume the role, as the alternative to IRSA", () => {
    expect(policy("iam-trust-policy-pod-identity.json")).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
      }),
    ]);
  });
});
