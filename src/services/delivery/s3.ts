/**
 * S3 as capacity uses it: a location (`s3://bucket/prefix`), and the few calls delivery, the
 * history lock and the Parquet export make, through the real `@aws-sdk/client-s3`. The SDK's
 * default credential chain and AWS_ENDPOINT_URL_S3 apply; with an endpoint set (a local S3, MinIO,
 * LocalStack), requests are path-style, as those servers expect. Every failure becomes a
 * DeliveryError naming the IAM action, the object and the fix.
 */

import { createReadStream, statSync } from "node:fs";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CapacityError, errorMessage } from "../../core/errors.js";

export interface S3Location {
  bucket: string;
  /** The key prefix, without leading or trailing slash ("" for the bucket's root). */
  prefix: string;
}

/** An S3 bucket name as S3 allows it (3–63 characters, lower case, digits, dots and hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket/some/prefix` → its parts; undefined for any other text. */
export function parseS3Uri(text: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(text);
  if (!match || !BUCKET.test(match[1]!)) return undefined;
  const prefix = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  if (prefix.split("/").some((p) => p === "." || p === "..")) return undefined;
  return { bucket: match[1]!, prefix };
}

export const s3Uri = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

/** The key of `name` under a location's prefix. */
export const keyUnder = (location: S3Location, ...names: string[]): string =>
  [location.prefix, ...names].filter((p) => p !== "").join("/");

/** Exit 1: the run itself is saved; what failed is getting something into or out of S3. */
export class DeliveryError extends CapacityError {
  constructor(message: string, hint: string, cause?: unknown) {
    super(message, { hint, cause });
  }
}

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (error: unknown): number | undefined => (error as SdkError)?.$metadata?.httpStatusCode;
const nameOf = (error: unknown): string => (error as SdkError)?.name ?? "Error";

/** Whether S3 refused a conditional write (`If-None-Match`/`If-Match`): 412, or 409 while another write is in flight. */
export const isPreconditionFailed = (error: unknown): boolean =>
  statusOf(error) === 412 || nameOf(error) === "PreconditionFailed" || statusOf(error) === 409;

export const isNotFound = (error: unknown): boolean =>
  statusOf(error) === 404 || nameOf(error) === "NoSuchKey" || nameOf(error) === "NotFound";

export function s3Failure(action: string, uri: string, error: unknown): DeliveryError {
  const status = statusOf(error);
  if (status === 403 || nameOf(error) === "AccessDenied") {
    return new DeliveryError(
      `AccessDenied: the IAM identity may not call s3:${action} on ${uri}`,
      `grant s3:${action} on that prefix to the role capacity runs as (deploy/iam-policy-s3.json)`,
      error,
    );
  }
  return new DeliveryError(
    `s3:${action} on ${uri} failed: ${nameOf(error)}: ${errorMessage(error)}`,
    "check the bucket's name and region, and that S3 is reachable from where capacity runs",
    error,
  );
}

export interface PutOptions {
  contentType?: string;
  /** Only create: fails with a precondition error when the key exists. */
  ifNoneMatch?: "*";
  /** Only replace this version (its ETag). */
  ifMatch?: string;
}

/** The calls capacity makes, each turned into a DeliveryError that names its action and object. */
export class S3Store {
  private readonly client: S3Client;

  constructor(region: string, signal?: AbortSignal) {
    const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
    this.client = new S3Client({
      region,
      maxAttempts: 5,
      forcePathStyle: endpoint !== undefined,
      // The bucket's region need not be the cluster's: the SDK follows S3's redirect.
      followRegionRedirects: true,
      // Bodies are whole buffers: a checksum header, never an aws-chunked stream.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    this.signal = signal;
  }

  private readonly signal: AbortSignal | undefined;

  /** `evenIfStopped`: a call that must still be made after SIGTERM (releasing a lock). */
  private options(evenIfStopped = false) {
    return this.signal && !evenIfStopped ? { abortSignal: this.signal } : {};
  }

  /** Stores a whole object; returns its ETag. Raw SDK errors pass through for conditional callers. */
  async putRaw(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ): Promise<string> {
    const out = await this.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ...(options.contentType ? { ContentType: options.contentType } : {}),
        ...(options.ifNoneMatch ? { IfNoneMatch: options.ifNoneMatch } : {}),
        ...(options.ifMatch ? { IfMatch: options.ifMatch } : {}),
      }),
      this.options(),
    );
    return out.ETag ?? "";
  }

  async put(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ): Promise<string> {
    try {
      return await this.putRaw(bucket, key, body, options);
    } catch (error) {
      throw s3Failure("PutObject", s3Uri(bucket, key), error);
    }
  }

  /** An object's bytes and ETag, or undefined when there is no such key. */
  async get(
    bucket: string,
    key: string,
    evenIfStopped = false,
  ): Promise<{ body: Uint8Array; etag: string } | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key }),
        this.options(evenIfStopped),
      );
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { body, etag: out.ETag ?? "" };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3Failure("GetObject", s3Uri(bucket, key), error);
    }
  }

  /** An object as a stream (a large history is never held in memory), or undefined when there is none. */
  async getStream(bucket: string, key: string): Promise<{ body: Readable; etag: string } | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), this.options());
      return { body: out.Body as Readable, etag: out.ETag ?? "" };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3Failure("GetObject", s3Uri(bucket, key), error);
    }
  }

  /** Stores a file streamed from disk with its length (a single PUT: up to 5 GB). Raw SDK errors pass through. */
  async putFile(bucket: string, key: string, path: string, options: PutOptions = {}): Promise<string> {
    const out = await this.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: createReadStream(path),
        ContentLength: statSync(path).size,
        ContentType: options.contentType ?? "application/octet-stream",
        ...(options.ifNoneMatch ? { IfNoneMatch: options.ifNoneMatch } : {}),
        ...(options.ifMatch ? { IfMatch: options.ifMatch } : {}),
      }),
      this.options(),
    );
    return out.ETag ?? "";
  }

  async delete(bucket: string, key: string, evenIfStopped = false): Promise<void> {
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: bucket, Key: key }),
        this.options(evenIfStopped),
      );
    } catch (error) {
      throw s3Failure("DeleteObject", s3Uri(bucket, key), error);
    }
  }

  /** Every key under a prefix, page by page. */
  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const out = await this.client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
          this.options(),
        );
        for (const item of out.Contents ?? []) if (item.Key) keys.push(item.Key);
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw s3Failure("ListBucket", s3Uri(bucket, prefix), error);
    }
    return keys;
  }

  close(): void {
    this.client.destroy();
  }
}

/** The Content-Type a report file is served with from S3 (a browser opens report.html in place). */
export function contentTypeOf(file: string): string {
  if (file.endsWith(".html")) return "text/html; charset=utf-8";
  if (file.endsWith(".md")) return "text/markdown; charset=utf-8";
  if (file.endsWith(".json")) return "application/json";
  if (file.endsWith(".csv")) return "text/csv; charset=utf-8";
  if (file.endsWith(".yaml") || file.endsWith(".yml")) return "application/yaml";
  if (file.endsWith(".parquet")) return "application/vnd.apache.parquet";
  return "application/octet-stream";
}
