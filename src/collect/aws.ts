/**
 * What the AWS collectors share: client settings (the SDK's default credential chain and region
 * resolution; AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured by the SDK itself) and
 * turning an SDK failure into a message that names the IAM action and the fix.
 */
import { SourceError } from "../core/errors.js";

export interface AwsClientSettings {
  region: string;
  maxAttempts: number;
  retryMode: "standard" | "adaptive";
}

export function awsClientSettings(region: string, maxAttempts = 5): AwsClientSettings {
  return { region, maxAttempts, retryMode: "standard" };
}

interface SdkError {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $retryable?: unknown;
}

const THROTTLED =
  /^(Throttling|ThrottlingException|LimitExceededException|RequestLimitExceeded|TooManyRequestsException|RequestThrottled)$/;

/** A SourceError that says which IAM action is missing, that the call was throttled, or what else went wrong. */
export function awsFailure(source: string, action: string, error: unknown): SourceError {
  const e = (error ?? {}) as SdkError;
  const code = e.name ?? e.Code ?? "Error";
  const message = e.message ?? String(error);
  const attempts = e.$metadata?.attempts;
  if (/not enabled for cost explorer/i.test(message) || code === "DataUnavailableException") {
    return new SourceError(source, `Cost Explorer is not enabled for this account (${code}: ${message})`, {
      hint: "enable it once in the Billing console (Cost Explorer → Launch Cost Explorer, or from the payer account of an organization); data appears within 24 hours",
      cause: error,
    });
  }
  if (
    /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnrecognizedClientException|AuthFailure)$/.test(
      code,
    ) ||
    e.$metadata?.httpStatusCode === 403
  ) {
    return new SourceError(source, `${code}: the IAM identity may not call ${action}`, {
      hint: `grant ${action} to the role capacity runs as (IRSA or Pod Identity in the cluster; your profile on a laptop)`,
      cause: error,
    });
  }
  if (THROTTLED.test(code)) {
    return new SourceError(
      source,
      `${action} was still throttled after ${attempts ?? "several"} attempts (${code})`,
      {
        hint: "run again later, or lower how often capacity runs; each Cost Explorer request is also billed (USD 0.01)",
        cause: error,
      },
    );
  }
  if (code === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
    return new SourceError(source, `no AWS credentials for ${action}: ${message}`, {
      hint: "provide credentials through the default chain: environment, AWS_PROFILE, IRSA web identity, EKS Pod Identity or instance metadata",
      cause: error,
    });
  }
  return new SourceError(source, `${action} failed: ${code}: ${message}`, { cause: error });
}
