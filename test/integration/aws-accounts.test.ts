/**
 * A cluster in another AWS account: `clusters[].aws.roleArn` is assumed through STS (the real
 * SDK's provider against a fake STS) and the collectors' clients sign with the role's
 * credentials, not the identity capacity runs as.
 */
import { CostExplorerClient, GetTagsCommand } from "@aws-sdk/client-cost-explorer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClientSettings } from "../../src/collect/aws.js";
import { configSchema } from "../../src/config/schema.js";
import { type FakeAws, startFakeAws } from "../fixtures/fake-aws.js";
import { type FakeSts, startFakeSts } from "../fixtures/fake-sts.js";

let aws: FakeAws;
const saved = { ...process.env };

beforeAll(async () => {
  aws = await startFakeAws({ tags: { team: ["a"] }, costAndUsage: () => ({}), products: () => [] });
  Object.assign(process.env, aws.env);
});

afterAll(async () => {
  await aws.close();
  process.env = saved;
});

const ROLE = "arn:aws:iam::210987654321:role/capacity-reader";

async function getTags(sts: FakeSts, access: Parameters<typeof awsClientSettings>[2]) {
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
  const client = new CostExplorerClient({
    ...awsClientSettings("eu-west-1", 1, access),
    region: "us-east-1",
  });
  try {
    return await client.send(
      new GetTagsCommand({ TimePeriod: { Start: "2026-11-01", End: "2026-11-02" }, TagKey: "team" }),
    );
  } finally {
    client.destroy();
  }
}

describe("clusters[].aws.roleArn", () => {
  it("assumes the role with the external ID from the identity capacity runs as, and signs with the role's credentials", async () => {
    const sts = await startFakeSts({ accessKeyId: "AKIDFAKEASSUMED", externalId: "capacity-7f3a" });
    try {
      const out = await getTags(sts, { roleArn: ROLE, externalId: "capacity-7f3a" });
      expect(out.Tags).toEqual(["a"]);
      expect(sts.calls).toHaveLength(1);
      expect(sts.calls[0]?.form).toMatchObject({
        Action: "AssumeRole",
        RoleArn: ROLE,
        ExternalId: "capacity-7f3a",
      });
      // The role was assumed with the base identity.
      expect(sts.calls[0]?.credential).toBe("AKIDFAKEEXAMPLE");
    } finally {
      await sts.close();
    }
  });

  it("reaches AWS with the role's credentials only: a role the service does not accept fails the call", async () => {
    // The fake Cost Explorer accepts keys starting AKIDFAKE; the role's key does not, so the
    // call fails exactly when the role's credentials (and not the base identity's) are used.
    const sts = await startFakeSts({ accessKeyId: "ASIAOTHERACCOUNT" });
    try {
      await expect(getTags(sts, { roleArn: ROLE })).rejects.toMatchObject({
        name: "UnrecognizedClientException",
      });
      expect(sts.calls).toHaveLength(1);
    } finally {
      await sts.close();
    }
  });

  it("fails with AccessDenied naming the role when the trust policy wants another external ID", async () => {
    const sts = await startFakeSts({ accessKeyId: "AKIDFAKEASSUMED", externalId: "expected" });
    try {
      await expect(getTags(sts, { roleArn: ROLE, externalId: "wrong" })).rejects.toThrow(ROLE);
    } finally {
      await sts.close();
    }
  });

  it("uses the default chain when a cluster names no role or profile", () => {
    expect(awsClientSettings("us-east-1", 5, {}).credentials).toBeUndefined();
  });

  it("accepts a role ARN, an external ID and a profile per cluster, and refuses a malformed ARN", () => {
    const ok = configSchema.safeParse({
      clusters: [
        { name: "prod", region: "us-east-1", aws: { roleArn: ROLE, externalId: "x1", profile: "central" } },
      ],
    });
    expect(ok.success).toBe(true);
    const bad = configSchema.safeParse({
      clusters: [{ name: "prod", region: "us-east-1", aws: { roleArn: "arn:aws:iam::1:user/me" } }],
    });
    expect(bad.success).toBe(false);
  });
});

describe("clusters[].aws.linkedAccount", () => {
  it("limits every Cost Explorer query to the member account when the bill is read from the payer account", async () => {
    const { CostExplorer } = await import("../../src/collect/cost-explorer/client.js");
    const { memoryLogger } = await import("../../src/core/logger.js");
    const ce = new CostExplorer(awsClientSettings("us-east-1", 1), memoryLogger(), undefined, "210987654321");
    const before = aws.calls.length;
    const window = { start: "2026-11-01", end: "2026-11-02" };
    await ce.findTag([{ key: "team", value: "a" }], window);
    await ce.costAndUsage(
      window,
      { And: [{ Dimensions: { Key: "SERVICE", Values: ["x"] } }, { Tags: { Key: "team", Values: ["a"] } }] },
      undefined,
      ["UnblendedCost"],
    );
    await ce.costAndUsage(window, { Tags: { Key: "team", Values: ["a"] } }, undefined, ["UnblendedCost"]);
    await ce.purchaseTypes(window);
    const account = { Dimensions: { Key: "LINKED_ACCOUNT", Values: ["210987654321"] } };
    const filters = aws.calls.slice(before).map((c) => (c.body as { Filter?: unknown }).Filter);
    expect(filters).toEqual([
      account,
      {
        And: [
          account,
          { Dimensions: { Key: "SERVICE", Values: ["x"] } },
          { Tags: { Key: "team", Values: ["a"] } },
        ],
      },
      { And: [account, { Tags: { Key: "team", Values: ["a"] } }] },
      account,
    ]);
    ce.client.destroy();
  });

  it("leaves the filters as they are for a cluster read from its own account", async () => {
    const { CostExplorer } = await import("../../src/collect/cost-explorer/client.js");
    const { memoryLogger } = await import("../../src/core/logger.js");
    const ce = new CostExplorer(awsClientSettings("us-east-1", 1), memoryLogger());
    expect(ce.scoped({ Tags: { Key: "team", Values: ["a"] } })).toEqual({
      Tags: { Key: "team", Values: ["a"] },
    });
    ce.client.destroy();
  });
});
