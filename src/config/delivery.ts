/**
 * Where the history is kept and where the reports go: `history.*` (the DuckDB file's runs, kept in
 * S3 under a lock when asked) and `delivery.*` (reports to S3, a chat webhook). Part of the one
 * configuration schema (schema.ts).
 */
import { z } from "zod";

/** `s3://bucket/prefix` (a bucket as S3 names them, then any key prefix). */
export const S3_PREFIX = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/;
/** `s3://bucket/key`: an object, not a bare bucket. */
const S3_OBJECT = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^\s]*[^\s/]$/;

export const historySchema = z
  .strictObject({
    keepRuns: z
      .number()
      .int()
      .min(1)
      .default(26)
      .describe(
        "Runs kept in the database (raw rows, sources and marts); older ones are deleted when a run is analyzed.",
      ),
    s3: z
      .string()
      .regex(S3_OBJECT, "an S3 object such as s3://bucket/capacity/prod-use1/capacity.duckdb")
      .optional()
      .describe(
        "Keep the DuckDB history in S3: pulled to `database` before a command, pushed back after a run, guarded by a lock object beside it (<key>.lock). Default: the history stays in `database` (the CronJob's PVC).",
      ),
    lockStaleHours: z
      .number()
      .min(0.1)
      .max(168)
      .default(6)
      .describe(
        "A history lock older than this was left by a run that died (OOM-killed, evicted): it is taken over. Keep it above the CronJob's activeDeadlineSeconds.",
      ),
  })
  .prefault({});

export const deliverySchema = z
  .strictObject({
    s3: z
      .string()
      .regex(S3_PREFIX, "an S3 location such as s3://bucket/capacity")
      .optional()
      .describe(
        "Also deliver the reports to S3: <prefix>/<cluster>/<yyyy-mm-dd>/… and <prefix>/<cluster>/latest/ (with a manifest.json written last).",
      ),
    webhookUrlEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable's name, such as SLACK_WEBHOOK_URL")
      .refine(
        (name) => !name.startsWith("CAPACITY_"),
        "CAPACITY_* variables set configuration keys: use another name",
      )
      .optional()
      .describe(
        "Name of the environment variable holding a Slack-compatible incoming-webhook URL: the summary and top actions are posted there. The URL is a secret and never belongs in this file.",
      ),
    reportUrl: z
      .string()
      .url()
      .optional()
      .describe(
        "The link the chat message gives (e.g. where latest/report.html is served); default: the S3 console page of the delivered folder.",
      ),
  })
  .prefault({});
