/**
 * The CUR 2.0 export as a source (source.ts): AWS's own per-pod split of the EC2 nodes' cost
 * (split cost allocation data for EKS), read from S3 where `aws.cur.s3Uri` points. Not
 * configured (or not in a bundle): skipped, and the cross-check says why it was not analysed.
 * Refused (s3:ListBucket, s3:GetObject) or an object without the columns it needs: missing,
 * with the action or the object and the column named.
 */
import { clusterAwsSettings } from "../aws.js";
import type { Collected, Skipped, Source } from "../source.js";
import { collectCurFromBundle, collectCurLive } from "./index.js";
import { parseExportUri } from "./map.js";
import { CUR_TABLES } from "./tables.js";

export const cur: Source<Collected | Skipped> = {
  name: "cur",
  tables: CUR_TABLES,
  // S3 follows the bucket's region; the cluster's (or us-east-1) only starts the conversation.
  needsRegion: false,

  async live(c) {
    const uri = c.config.aws.cur?.s3Uri;
    if (uri === undefined) return { skipped: "aws.cur.s3Uri is not set" };
    const location = parseExportUri(uri)!;
    const { CurBucket } = await import("./client.js");
    const bucket = new CurBucket(clusterAwsSettings(c, c.facts.region ?? "us-east-1"), c.logger, c.signal);
    try {
      return await collectCurLive(c, bucket, location);
    } finally {
      bucket.close();
    }
  },

  async replay(bundle, c) {
    return (
      (await collectCurFromBundle(bundle, c)) ?? {
        skipped: `the bundle holds no CUR split lines (aws/${c.cluster.name}/cur-split.parquet)`,
      }
    );
  },
};
