/**
 * The weekly message to a chat channel: a Slack-compatible incoming webhook (Slack, Mattermost,
 * Rocket.Chat and Google Chat accept `{"text": …}`) with the cluster's monthly cost, the savings
 * per family (or why a family has none), the top actions and a link to the report. The URL is a
 * secret (it carries the token): it is read from the environment variable the config names, and
 * never logged; a failure names the variable, not the URL.
 */
import { errorMessage } from "../../core/errors.js";
import { escapeControls } from "../../core/text.js";
import { DeliveryError } from "./s3.js";

interface Family {
  usd: number | null;
  status: string;
  reason: string;
}

/** The parts of recommendations.json the message shows (docs/recommendations.schema.json). */
export interface MessageInput {
  clusters: ReadonlyArray<{ name: string }>;
  window: { start: string; end: string };
  summary: {
    monthlyCostUsd: number;
    potentialMonthlySavingsUsd: number;
    savingsByCategoryUsd: Record<string, Family>;
  };
  rightsizing: ReadonlyArray<{
    namespace: string;
    workloadKind: string;
    workloadName: string;
    container: string;
    monthlySavingsUsd: number | null;
  }>;
}

const usd = (n: number): string =>
  `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Slack's mrkdwn escapes only these three; control characters go too (names come from the cluster). */
export const chatText = (text: string): string =>
  escapeControls(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const TOP_ACTIONS = 5;

export function chatMessage(input: MessageInput, link: string | undefined): { text: string } {
  const clusters = input.clusters.map((c) => chatText(c.name)).join(", ");
  const lines = [
    `*capacity: ${clusters}* (${input.window.start.slice(0, 10)} to ${input.window.end.slice(0, 10)})`,
    `Monthly cost ${usd(input.summary.monthlyCostUsd)}; savings found ${usd(input.summary.potentialMonthlySavingsUsd)} a month`,
  ];
  for (const [family, f] of Object.entries(input.summary.savingsByCategoryUsd)) {
    lines.push(
      f.usd === null
        ? `• ${chatText(family)}: not counted (${chatText(f.reason)})`
        : `• ${chatText(family)}: ${usd(f.usd)} (${chatText(f.reason)})`,
    );
  }
  const top = input.rightsizing
    .filter((r) => (r.monthlySavingsUsd ?? 0) > 0)
    .sort((a, b) => (b.monthlySavingsUsd ?? 0) - (a.monthlySavingsUsd ?? 0))
    .slice(0, TOP_ACTIONS);
  if (top.length > 0) {
    lines.push("Top actions:");
    for (const r of top) {
      lines.push(
        `• right-size ${chatText(`${r.namespace}/${r.workloadKind}/${r.workloadName}`)} container ${chatText(r.container)}: ${usd(r.monthlySavingsUsd ?? 0)} a month`,
      );
    }
  }
  // Slack's link syntax; the URL is ours (the S3 console or the configured reportUrl).
  if (link) lines.push(`<${link}|Open the report>`);
  return { text: lines.join("\n") };
}

export async function postWebhook(
  variable: string,
  env: NodeJS.ProcessEnv,
  message: { text: string },
  signal?: AbortSignal,
): Promise<void> {
  const url = env[variable];
  if (url === undefined || url === "") {
    throw new DeliveryError(
      `delivery.webhookUrlEnv names ${variable}, which is not set`,
      `set ${variable} to the webhook URL (in the cluster: from a Secret, as docs/operations.md shows)`,
    );
  }
  let status: number;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
    });
    status = response.status;
    await response.arrayBuffer();
  } catch (error) {
    throw new DeliveryError(
      `posting the summary to the webhook in ${variable} failed: ${errorMessage(error).replace(url, "<webhook>")}`,
      "check that the webhook URL is right and reachable from where capacity runs",
      error,
    );
  }
  if (status < 200 || status >= 300) {
    throw new DeliveryError(
      `the webhook in ${variable} answered HTTP ${status}`,
      "check that the webhook still exists and accepts Slack-style {text} messages",
    );
  }
}
