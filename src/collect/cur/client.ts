/**
 * The CUR 2.0 export in S3 through @aws-sdk/client-s3: its keys (ListObjectsV2, paginated) and
 * an object streamed to a file (GetObject; never held whole in memory). AWS_ENDPOINT_URL_S3 is
 * honoured by the SDK; with an endpoint set (a local S3) requests are path-style. The bucket's
 * region need not be the cluster's: the SDK follows S3's redirect.
 */
import { createWriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "../../core/logger.js";
import { type AwsClientSettings, awsFailure } from "../aws.js";

export class CurBucket {
  readonly client: S3Client;
  requests = 0;
  bytes = 0;

  constructor(
    settings: AwsClientSettings,
    private readonly logger: Logger,
    private readonly signal?: AbortSignal,
  ) {
    const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
    this.client = new S3Client({
      ...settings,
      forcePathStyle: endpoint !== undefined,
      followRegionRedirects: true,
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  private async call<T>(action: string, uri: string, send: () => Promise<T>): Promise<T> {
    this.requests++;
    try {
      return await send();
    } catch (error) {
      const failure = awsFailure("cur", action, error);
      failure.message = `${failure.message} (${uri})`;
      throw Object.assign(failure, { action });
    }
  }

  /** Every key under `prefix`. */
  async keys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call("s3:ListBucket", `s3://${bucket}/${prefix}`, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
          { abortSignal: this.signal },
        ),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    this.logger.debug("CUR export listed", { bucket, prefix, keys: keys.length });
    return keys;
  }

  /** Streams one object to `file`; its size in bytes. */
  async download(bucket: string, key: string, file: string): Promise<number> {
    const uri = `s3://${bucket}/${key}`;
    return this.call("s3:GetObject", uri, async () => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: this.signal,
      });
      let size = 0;
      const body = out.Body as Readable;
      body.on("data", (chunk: Buffer) => {
        size += chunk.length;
      });
      await pipeline(body, createWriteStream(file), { signal: this.signal });
      this.bytes += size;
      return size;
    });
  }

  close(): void {
    this.client.destroy();
  }
}
