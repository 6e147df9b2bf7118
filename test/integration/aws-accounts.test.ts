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
