/**
 * `--profile X --region Y` reach the AWS SDK clients the collectors build: the flags become the
 * config (cli/options.ts), the config a cluster's client settings (aws.ts), and the real SDK
 * clients then resolve region Y and profile X's credentials from the shared config files (two
 * profiles with different keys, in temp files). In-process; no request is sent.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFrom } from "../../src/cli/options.js";
import { clusterAwsSettings } from "../../src/collect/aws.js";
import { CostExplorer } from "../../src/collect/cost-explorer/client.js";
import { CurBucket } from "../../src/collect/cur/client.js";
import { Eks } from "../../src/collect/eks/client.js";
import { SpotHistory } from "../../src/collect/spot-history/client.js";
import type { Config } from "../../src/config/schema.js";
import { memoryLogger } from "../../src/core/logger.js";

const saved = { ...process.env };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "capacity-profiles-"));
  writeFileSync(
    join(dir, "credentials"),
    [
      "[default]",
      "aws_access_key_id = AKIADEFAULT000000000",
      "aws_secret_access_key = default-secret",
      "[finops]",
      "aws_access_key_id = AKIAFINOPS0000000000",
      "aws_secret_access_key = finops-secret",
      "",
    ].join("\n"),
  );
  // Each profile also names a region: the cluster's region (--region) must win over it.
  writeFileSync(
    join(dir, "config"),
    ["[default]", "region = us-east-1", "[profile finops]", "region = us-west-1", ""].join("\n"),
  );
  writeFileSync(join(dir, "capacity.yaml"), "clusters:\n  - name: shop\n    region: ap-south-1\n");
  for (const name of Object.keys(process.env))
    if (name.startsWith("AWS_") || name.startsWith("CAPACITY_")) delete process.env[name];
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "credentials");
  process.env.AWS_CONFIG_FILE = join(dir, "config");
  process.env.AWS_EC2_METADATA_DISABLED = "true";
});

afterAll(() => {
  process.env = saved;
});

/** The clients the collectors build for the config's first cluster, as its sources do. */
function clientsFor(config: Config) {
  const cluster = config.clusters[0]!;
  const settings = clusterAwsSettings(
    {
      config,
      cluster: { name: cluster.name, region: cluster.region, context: cluster.context, aws: cluster.aws },
    },
    cluster.region!,
  );
  const logger = memoryLogger();
  const eks = new Eks(settings, logger);
  return {
    eks: eks.client,
    ec2: eks.ec2,
    spot: new SpotHistory(settings, logger).client,
    s3: new CurBucket(settings, logger).client,
    costExplorer: new CostExplorer(settings, logger).client,
  };
}

async function resolved(clients: ReturnType<typeof clientsFor>) {
  const out: Record<string, { region: string; accessKeyId: string }> = {};
  for (const [name, client] of Object.entries(clients)) {
    out[name] = {
      region: await client.config.region(),
      accessKeyId: (await client.config.credentials()).accessKeyId,
    };
    client.destroy();
  }
  return out;
}

describe("--profile and --region reach the AWS SDK clients", () => {
  it("resolves --region as every regional client's region and --profile's keys as every client's credentials", async () => {
    const config = await configFrom({
      config: join(dir, "capacity.yaml"),
      region: "eu-west-3",
      profile: "finops",
    });
    expect(await resolved(clientsFor(config))).toEqual({
      eks: { region: "eu-west-3", accessKeyId: "AKIAFINOPS0000000000" },
      ec2: { region: "eu-west-3", accessKeyId: "AKIAFINOPS0000000000" },
      spot: { region: "eu-west-3", accessKeyId: "AKIAFINOPS0000000000" },
      s3: { region: "eu-west-3", accessKeyId: "AKIAFINOPS0000000000" },
      // Cost Explorer has one endpoint, in us-east-1, whatever the cluster's region.
      costExplorer: { region: "us-east-1", accessKeyId: "AKIAFINOPS0000000000" },
    });
  });

  it("without the flags, uses the file's region and the default chain's profile", async () => {
    const config = await configFrom({ config: join(dir, "capacity.yaml") });
    const clients = await resolved(clientsFor(config));
    expect(clients.eks).toEqual({ region: "ap-south-1", accessKeyId: "AKIADEFAULT000000000" });
    expect(clients.costExplorer).toEqual({ region: "us-east-1", accessKeyId: "AKIADEFAULT000000000" });
  });
});
