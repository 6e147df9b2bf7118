/**
 * Amazon Managed Service for Prometheus: every request is signed with SigV4 (service aps) by the
 * AWS SDK's signer. A local server recomputes each signature independently, from the SigV4
 * specification with node:crypto, and refuses any request whose signature does not match.
 */
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrometheusApi } from "../../src/collect/prometheus/client.js";
import { factsQuery } from "../../src/collect/prometheus/queries.js";
import { SourceError } from "../../src/core/errors.js";
import { memoryLogger } from "../../src/core/logger.js";

const KEY = "AKIDFAKEEXAMPLE";
const SECRET = "fakeSecretKeyForTestsOnly";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const hmac = (key: Buffer | string, s: string) => createHmac("sha256", key).update(s).digest();
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature AWS would compute for this request, or why the request cannot be valid. */
function expectedSignature(
  req: IncomingMessage,
  secret: string,
): { signature: string; signedHeaders: string } | string {
  const auth = req.headers.authorization ?? "";
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return `malformed Authorization: ${auth}`;
  const [, , date, region, service, signedHeaders] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (service !== "aps") return `service is ${service}, not aps`;
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const url = new URL(req.url ?? "/", "http://placeholder");
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const headers = signedHeaders.split(";");
  const canonicalHeaders = headers
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const payload = String(req.headers["x-amz-content-sha256"] ?? sha256(""));
  const canonical = [
    "GET",
    url.pathname.split("/").map(rfc3986).join("/"),
    query,
    canonicalHeaders,
    signedHeaders,
    payload,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
  return { signature: createHmac("sha256", key).update(toSign).digest("hex"), signedHeaders };
}

let server: Server;
let url: string;
let serverSecret = SECRET;
const seen: Array<{ path: string; valid: boolean; signedHeaders: string }> = [];
const saved = { ...process.env };

beforeEach(async () => {
  seen.length = 0;
  serverSecret = SECRET;
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: KEY,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_EC2_METADATA_DISABLED: "true",
  });
  server = createServer((req, res) => {
    const expected = expectedSignature(req, serverSecret);
    const given = /Signature=([0-9a-f]{64})/.exec(req.headers.authorization ?? "")?.[1];
    const valid = typeof expected !== "string" && expected.signature === given;
    seen.push({
      path: new URL(req.url ?? "/", "http://x").pathname,
      valid,
      signedHeaders: typeof expected === "string" ? expected : expected.signedHeaders,
    });
    res.setHeader("content-type", "application/json");
    if (!valid) {
      res.writeHead(403);
      res.end(
        JSON.stringify({
          message: "The request signature we calculated does not match the signature you provided.",
        }),
      );
      return;
    }
    if (req.url?.includes("/label/")) return res.end(JSON.stringify({ status: "success", data: ["shop"] }));
    res.end(
      JSON.stringify({
        status: "success",
        data: {
          resultType: "matrix",
          result: [{ metric: { pod: "web-1" }, values: [[1794272400, "0.25"]] }],
        },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/workspaces/ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
});
afterEach(async () => {
  process.env = { ...saved };
  await new Promise((r) => server.close(r));
});

describe("SigV4 for Amazon Managed Service for Prometheus", () => {
  it("signs every request so that an independent computation of the signature agrees", async () => {
    const api = new PrometheusApi(
      { url, sigv4Region: "us-west-2", timeoutSeconds: 10, retries: 0 },
      memoryLogger(),
    );
    const query = factsQuery(
      { clusterLabel: { name: "cluster", value: "prod" }, namespace: "shop", pods: ["web-1", "web.2"] },
      3600,
    );
    const series = await api.range(
      query,
      new Date("2026-11-10T01:00:00Z"),
      new Date("2026-11-11T00:00:00Z"),
      3600,
    );
    expect(series[0]?.values).toEqual([[1794272400, 0.25]]);
    expect(
      await api.labelValues(
        "namespace",
        'container_memory_working_set_bytes{cluster="prod"}',
        new Date("2026-11-10T00:00:00Z"),
        new Date("2026-11-11T00:00:00Z"),
      ),
    ).toEqual(["shop"]);
    expect(seen.map((s) => [s.path, s.valid])).toEqual([
      ["/workspaces/ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/api/v1/query_range", true],
      ["/workspaces/ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/api/v1/label/namespace/values", true],
    ]);
    expect(seen[0]!.signedHeaders).toContain("host");
    expect(seen[0]!.signedHeaders).toContain("x-amz-date");
  });

  it("is refused when signed with another secret, and says which permission to check", async () => {
    serverSecret = "anotherSecret";
    const api = new PrometheusApi(
      { url, sigv4Region: "us-west-2", timeoutSeconds: 10, retries: 0 },
      memoryLogger(),
    );
    const error = await api
      .range("up", new Date("2026-11-10T01:00:00Z"), new Date("2026-11-10T02:00:00Z"), 3600)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toContain("refused a range query (403)");
    expect((error as SourceError).hint).toContain("aps:QueryMetrics");
    expect(seen.every((s) => !s.valid)).toBe(true);
  });
});
