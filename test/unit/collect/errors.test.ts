import { describe, expect, it } from "vitest";
import { awsFailure } from "../../../src/collect/aws.js";
import { CollectError, failureKind, isNetworkError } from "../../../src/collect/errors.js";
import { SourceError } from "../../../src/core/errors.js";

const sdkError = (name: string, message: string, status?: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts: 3 } });

describe("AWS failures are classified by the SDK error's name and HTTP status", () => {
  it("AccessDenied-style names and a bare 403 are 'denied', and name the IAM action", () => {
    for (const error of [
      sdkError("AccessDeniedException", "User is not authorized", 400),
      sdkError("UnauthorizedOperation", "nope"),
      sdkError("SomethingNew", "?", 403),
    ]) {
      const failure = awsFailure("pricing", "pricing:GetProducts", error);
      expect(failure).toBeInstanceOf(SourceError);
      expect(failure.kind).toBe("denied");
      expect(failure.hint).toContain("grant pricing:GetProducts");
    }
  });

  it("throttling names and HTTP 429 are 'throttled'", () => {
    expect(awsFailure("ce", "ce:GetTags", sdkError("LimitExceededException", "Rate exceeded")).kind).toBe(
      "throttled",
    );
    expect(awsFailure("ce", "ce:GetTags", sdkError("Unknown", "", 429)).kind).toBe("throttled");
  });

  it("a message that merely reads like a known failure is not taken for one", () => {
    const looksDenied = sdkError(
      "InternalFailure",
      "AccessDenied: Could not load credentials, not enabled for cost explorer",
      500,
    );
    const failure = awsFailure("ce", "ce:GetCostAndUsage", looksDenied);
    expect(failure.kind).toBe("failed");
    expect(failure.message).toContain("ce:GetCostAndUsage failed: InternalFailure");
  });

  it("CredentialsProviderError is 'unauthenticated'; DataUnavailableException is 'no-data'", () => {
    expect(awsFailure("ce", "ce:GetTags", sdkError("CredentialsProviderError", "x")).kind).toBe(
      "unauthenticated",
    );
    expect(awsFailure("ce", "ce:GetCostForecast", sdkError("DataUnavailableException", "x", 400)).kind).toBe(
      "no-data",
    );
  });

  it("a request that got no answer is 'unreachable', by its system error code", () => {
    const refused = Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" });
    const failure = awsFailure(
      "ec2",
      "ec2:DescribeSpotPriceHistory",
      new Error("wrapped", { cause: refused }),
    );
    expect(failure.kind).toBe("unreachable");
  });
});

describe("isNetworkError", () => {
  it("reads the code of the error and of its causes", () => {
    expect(isNetworkError(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(true);
    expect(isNetworkError(new TypeError("fetch failed", { cause: { code: "UND_ERR_SOCKET" } }))).toBe(true);
  });

  it("never the message", () => {
    expect(isNetworkError(new Error("connect ECONNREFUSED 127.0.0.1:6443"))).toBe(false);
    expect(isNetworkError(Object.assign(new Error("x"), { code: 404 }))).toBe(false);
  });
});

describe("failureKind", () => {
  it("is the kind a collector set, and undefined for other errors", () => {
    expect(failureKind(new CollectError("kubernetes", "not-installed", "rollouts"))).toBe("not-installed");
    expect(failureKind(new SourceError("kubernetes", "forbidden to list pods"))).toBeUndefined();
  });
});
