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
  "@aws-sdk/client-s3": "s3",
};

/** S3's commands under the IAM action that authorizes them (ListObjectsV2 is s3:ListBucket). */
const S3_ACTION: Record<string, string> = { ListObjectsV2: "ListBucket", GetObject: "GetObject" };

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
      found.add(PREFIX[pkg!] === "s3" ? `s3:${S3_ACTION[command] ?? command}` : `${PREFIX[pkg!]}:${command}`);
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
  it("allows exactly the AWS SDK commands the collectors send (S3 on the CUR export aside: iam-policy-cur.json)", () => {
    const sent = sdkActions().filter((a) => !a.startsWith("s3:"));
    expect(sent.length).toBeGreaterThan(0);
    expect(actions(policy("iam-policy.json"))).toEqual(sent);
  });

  it("allows the CUR collector's S3 calls in iam-policy-cur.json, on one export's prefix only", () => {
    const statements = policy("iam-policy-cur.json");
    expect(actions(statements)).toEqual(sdkActions().filter((a) => a.startsWith("s3:")));
    expect(actions(statements)).toEqual(["s3:GetObject", "s3:ListBucket"]);
    for (const statement of statements) {
      if (statement.Action === "s3:ListBucket") {
        expect(statement.Resource).toBe("arn:aws:s3:::cur-exports-111122223333");
        expect(statement.Condition).toEqual({ StringLike: { "s3:prefix": ["cur2/eks-split/*"] } });
      } else expect(statement.Resource).toBe("arn:aws:s3:::cur-exports-111122223333/cur2/eks-split/*");
    }
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

/** The S3 calls delivery makes (`this.client.send(new XCommand(`), as IAM names their actions. */
function s3Actions(): string[] {
  const text = readFileSync(projectPath("src", "services", "delivery", "s3.ts"), "utf8");
  const action: Record<string, string> = {
    PutObject: "s3:PutObject",
    GetObject: "s3:GetObject",
    DeleteObject: "s3:DeleteObject",
    ListObjectsV2: "s3:ListBucket",
  };
  const found = [...new Set([...text.matchAll(/new\s+(\w+)Command\(/g)].map((m) => m[1]!))];
  for (const command of found) expect(Object.keys(action), `the IAM action of ${command}`).toContain(command);
  return [...new Set(found.map((c) => action[c]!))].sort();
}

describe("deploy/iam-policy-s3.json", () => {
  const statements = policy("iam-policy-s3.json");

  it("allows exactly the S3 actions delivery, the history lock and the Parquet export call", () => {
    expect(actions(statements)).toEqual(s3Actions());
  });

  it("limits objects to the reports, history and Parquet prefixes of one bucket, and listing to those prefixes", () => {
    for (const statement of statements) {
      const resources = [statement.Resource].flat();
      if ([statement.Action].flat().includes("s3:ListBucket")) {
        expect(resources).toEqual(["arn:aws:s3:::capacity-reports-111122223333"]);
        expect(statement.Condition).toEqual({
          StringLike: { "s3:prefix": ["reports/*", "history/*", "parquet/*"] },
        });
      } else {
        for (const resource of resources)
          expect(resource).toMatch(
            /^arn:aws:s3:::capacity-reports-111122223333\/(reports|history|parquet)\/\*$/,
          );
      }
    }
  });
});

describe("several accounts", () => {
  it("lets the central identity assume only the clusters' reader roles, as clusters[].aws.roleArn makes it", () => {
    const code = readFileSync(projectPath("src", "collect", "aws.ts"), "utf8");
    expect(code).toContain("fromTemporaryCredentials(");
    expect(policy("iam-policy-central.json")).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: "arn:aws:iam::*:role/capacity-reader",
      }),
    ]);
  });

  it("makes each reader role trust only the central role, with an external ID", () => {
    const [statement, ...rest] = policy("iam-trust-policy-cross-account.json");
    expect(rest).toEqual([]);
    expect(statement!.Principal).toEqual({ AWS: "arn:aws:iam::111122223333:role/capacity-central" });
    expect(statement!.Action).toBe("sts:AssumeRole");
    expect(statement!.Condition?.StringEquals?.["sts:ExternalId"]).toBeDefined();
  });
});
