/**
 * The chat message: what it says, that names from the cluster cannot become Slack markup, and
 * that a missing webhook variable is named (never its value).
 */
import { describe, expect, it } from "vitest";
import { chatMessage, chatText, postWebhook } from "../../src/services/delivery/webhook.js";

const input = {
  clusters: [{ name: "prod-use1" }],
  window: { start: "2026-11-16T00:00:00.000Z", end: "2026-11-30T00:00:00.000Z" },
  summary: {
    monthlyCostUsd: 12_345.678,
    potentialMonthlySavingsUsd: 1_000,
    savingsByCategoryUsd: {
      rightsizing: { usd: 900, status: "computed", reason: "right-sizing, nodes saved" },
      spot: { usd: null, status: "not_computed", reason: "no spot price history" },
    },
  },
  rightsizing: [
    {
      namespace: "shop",
      workloadKind: "Deployment",
      workloadName: "cart",
      container: "app",
      monthlySavingsUsd: 10,
    },
    {
      namespace: "<!here>",
      workloadKind: "Deployment",
      workloadName: "a&b",
      container: "x",
      monthlySavingsUsd: 50,
    },
    {
      namespace: "shop",
      workloadKind: "Deployment",
      workloadName: "none",
      container: "x",
      monthlySavingsUsd: 0,
    },
  ],
};

describe("the chat message", () => {
  it("gives the cost, each family's figure or why none, the top actions by saving, and the link", () => {
    const { text } = chatMessage(input, "https://example.com/latest/report.html");
    expect(text.split("\n")).toEqual([
      "*capacity: prod-use1* (2026-11-16 to 2026-11-30)",
      "Monthly cost $12,345.68; savings found $1,000.00 a month",
      "• rightsizing: $900.00 (right-sizing, nodes saved)",
      "• spot: not counted (no spot price history)",
      "Top actions:",
      "• right-size &lt;!here&gt;/Deployment/a&amp;b container x: $50.00 a month",
      "• right-size shop/Deployment/cart container app: $10.00 a month",
      "<https://example.com/latest/report.html|Open the report>",
    ]);
  });

  it("escapes what Slack reads as markup or mentions, and control characters", () => {
    expect(chatText("<@U123> & <!channel>")).toBe("&lt;@U123&gt; &amp; &lt;!channel&gt;");
    expect(chatText("a\u0007b")).not.toContain("\u0007");
  });

  it("names the variable that is not set, not a URL", async () => {
    await expect(postWebhook("SLACK_WEBHOOK_URL", {}, { text: "x" })).rejects.toThrow(
      "delivery.webhookUrlEnv names SLACK_WEBHOOK_URL, which is not set",
    );
  });

  it("says the webhook refused the message, without its URL", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((_req, res) => {
      res.writeHead(404);
      res.end("no_service");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const error = await postWebhook(
        "HOOK",
        { HOOK: `http://127.0.0.1:${port}/services/T/B/very-secret` },
        { text: "x" },
      ).catch((e: Error) => e);
      expect(String(error)).toContain("the webhook in HOOK answered HTTP 404");
      expect(String(error)).not.toContain("very-secret");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
