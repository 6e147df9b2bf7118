/**
 * Delivery around a command: the history pulled from and pushed to S3 (`history.s3`) and, after
 * a report, the files delivered to S3 (`delivery.s3`) and the summary posted to a chat webhook
 * (`delivery.webhookUrlEnv`). Each runs only when configured. The run is committed before any
 * delivery starts: a delivery that fails says so (exit 1) and names the command that retries it.
 */
import { resolve } from "node:path";
import type { Context } from "../../core/context.js";
import { buildRecommendations } from "../../report/recommendations.js";
import type { StoredRun } from "../../store/runs.js";
import type { ReportOutput } from "../report.js";
import { withS3History } from "./history.js";
import { deliverReports } from "./reports.js";
import { DeliveryError, parseS3Uri, S3Store } from "./s3.js";
import { chatMessage, type MessageInput, postWebhook } from "./webhook.js";

/** The region S3 requests start in; the SDK follows a bucket's redirect to its own region. */
const s3Region = (ctx: Context): string =>
  process.env.AWS_REGION ?? ctx.config.clusters[0]?.region ?? "us-east-1";

function location(uri: string, key: string) {
  const parsed = parseS3Uri(uri);
  if (!parsed)
    throw new DeliveryError(`${key} is not an S3 location: ${uri}`, "write it as s3://bucket/prefix");
  return parsed;
}

/**
 * Runs `work` (which opens and closes the store) with the history in S3 when `history.s3` is set:
 * `write` commands hold the lock and push after; reading commands only pull.
 */
export async function withHistory<T>(ctx: Context, write: boolean, work: () => Promise<T>): Promise<T> {
  const uri = ctx.config.history.s3;
  if (uri === undefined) return work();
  const s3 = new S3Store(s3Region(ctx), ctx.signal);
  try {
    return await withS3History(ctx, s3, location(uri, "history.s3"), resolve(ctx.config.database), work, {
      write,
    });
  } finally {
    s3.close();
  }
}

/** The AWS console page of a delivered folder: where the chat message links when no reportUrl is set. */
const consoleLink = (s3Folder: string): string => {
  const [, bucket = "", prefix = ""] = /^s3:\/\/([^/]+)\/(.*)$/.exec(s3Folder) ?? [];
  return `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(bucket)}?prefix=${encodeURIComponent(prefix)}`;
};

/** After a report: to S3, then to the chat webhook, as configured. */
export async function deliver(
  ctx: Context,
  run: StoredRun,
  outDir: string,
  output: ReportOutput,
): Promise<void> {
  const { delivery } = ctx.config;
  let link = delivery.reportUrl;
  if (delivery.s3 !== undefined) {
    const s3 = new S3Store(s3Region(ctx), ctx.signal);
    try {
      const delivered = await deliverReports(
        s3,
        location(delivery.s3, "delivery.s3"),
        {
          runId: run.run_id,
          clusters: (JSON.parse(run.clusters) as Array<{ name: string }>).map((c) => c.name),
          startedAt: run.started_at,
        },
        outDir,
        output.files,
        ctx.logger,
      );
      link ??= consoleLink(delivered.latest);
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      throw new DeliveryError(
        `the run is saved (run ${run.run_id}) and its reports are in ${outDir}; ${error.message}`,
        `${error.hint ?? ""}; then \`capacity report --run ${run.run_id}\` delivers them again`,
        error,
      );
    }
  }
  if (delivery.webhookUrlEnv !== undefined) {
    const recommendations = buildRecommendations(output.model) as unknown as MessageInput;
    await postWebhook(delivery.webhookUrlEnv, process.env, chatMessage(recommendations, link), ctx.signal);
    ctx.logger.info("summary posted to the chat webhook", { variable: delivery.webhookUrlEnv });
  }
}
