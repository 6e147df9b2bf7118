/**
 * What the AWS collectors share: client settings (the SDK's default credential chain and region
 * resolution; AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured by the SDK itself) and
 * turning an SDK failure into a message that names the IAM action and the fix.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { CollectError, isNetworkError } from "./errors.js";
import type { Collection } from "./source.js";

export interface AwsClientSettings {
  region: string;
  maxAttempts: number;
  retryMode: "standard" | "adaptive";
  /** Absent: the SDK's default chain (environment, profile, IRSA, Pod Identity, instance). */
  credentials?: AwsCredentialIdentityProvider;
}

/** How one cluster's AWS account is reached (`clusters[].aws`): a role to assume, a profile, or neither. */
export interface ClusterAccess {
  roleArn?: string | undefined;
  externalId?: string | undefined;
  profile?: string | undefined;
  /** Cost Explorer read from the organization's payer account, limited to this member account. */
  linkedAccount?: string | undefined;
}

/**
 * The SDK client settings for a cluster. With `roleArn`, the role is assumed through STS (the
 * SDK's provider, refreshed before expiry) from the default chain's credentials, or from
 * `profile`'s; with `profile` alone, that profile of the shared config files. A cluster in
 * another account is then read from one central run.
 */
export function awsClientSettings(
  region: string,
  maxAttempts = 5,
  access: ClusterAccess = {},
): AwsClientSettings {
  const settings: AwsClientSettings = { region, maxAttempts, retryMode: "standard" };
  if (access.roleArn || access.profile) settings.credentials = lazyCredentials(region, maxAttempts, access);
  return settings;
}

/**
 * The settings of one cluster's AWS clients in a run: `region`, the config's `aws.maxAttempts`,
 * and the access the cluster names (`clusters[].aws`) over the run's `aws.profile` (`--profile`).
 */
export function clusterAwsSettings(
  c: Pick<Collection, "config" | "cluster">,
  region: string,
): AwsClientSettings {
  return awsClientSettings(region, c.config.aws.maxAttempts, {
    profile: c.config.aws.profile,
    ...c.cluster.aws,
  });
}

/**
 * The role's or the profile's credentials through the SDK's providers, loaded on the first
 * request: a replay, which sends none, never loads the AWS SDK (lazy-clients.test.ts).
 */
function lazyCredentials(
  region: string,
  maxAttempts: number,
  access: ClusterAccess,
): AwsCredentialIdentityProvider {
  let provider: AwsCredentialIdentityProvider | undefined;
  return async (): Promise<AwsCredentialIdentity> => {
    if (!provider) {
      const { fromIni, fromTemporaryCredentials } = await import("@aws-sdk/credential-providers");
      const profile = access.profile ? fromIni({ profile: access.profile }) : undefined;
      provider = access.roleArn
        ? fromTemporaryCredentials({
            params: {
              RoleArn: access.roleArn,
              RoleSessionName: "capacity",
              ...(access.externalId ? { ExternalId: access.externalId } : {}),
            },
            ...(profile ? { masterCredentials: profile } : {}),
            clientConfig: { region, maxAttempts },
          })
        : profile!;
    }
    return provider();
  };
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

const DENIED =
  /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnrecognizedClientException|AuthFailure)$/;

/**
 * A CollectError that says which IAM action is missing, that the call was throttled, or what else
 * went wrong: classified by the SDK error's `name` (`Code`) and `$metadata.httpStatusCode`, never
 * by its message.
 */
export function awsFailure(source: string, action: string, error: unknown): CollectError {
  const e = (error ?? {}) as SdkError;
  const code = e.name ?? e.Code ?? "Error";
  const message = e.message ?? String(error);
  const attempts = e.$metadata?.attempts;
  if (code === "DataUnavailableException") {
    return new CollectError(
      source,
      "no-data",
      `Cost Explorer has no data yet for the window ${action} asked about (${code}: ${message})`,
      {
        hint: "data not yet available: Cost Explorer publishes a day's costs within about 24 hours, so run again later or end the window a day earlier (access and enablement are fine: this is not an AccessDenied)",
        cause: error,
      },
    );
  }
  if (DENIED.test(code) || e.$metadata?.httpStatusCode === 403) {
    // Cost Explorer answers AccessDeniedException both to a missing IAM action and to an account
    // where it is not enabled, told apart only in prose: both causes are named.
    const costExplorer = action.startsWith("ce:");
    return new CollectError(
      source,
      "denied",
      `${code}: the IAM identity may not call ${action}${costExplorer ? ", or Cost Explorer is not enabled for this account" : ""}`,
      {
        hint: `grant ${action} to the role capacity runs as (IRSA or Pod Identity in the cluster; your profile on a laptop)${costExplorer ? "; if it has it, enable Cost Explorer once in the Billing console (Cost Explorer → Launch Cost Explorer, or from the payer account of an organization)" : ""}`,
        cause: error,
      },
    );
  }
  if (THROTTLED.test(code) || e.$metadata?.httpStatusCode === 429) {
    return new CollectError(
      source,
      "throttled",
      `${action} was still throttled after ${attempts ?? "several"} attempts (${code})`,
      {
        hint: "run again later, or lower how often capacity runs; each Cost Explorer request is also billed (USD 0.01)",
        cause: error,
      },
    );
  }
  if (code === "CredentialsProviderError") {
    return new CollectError(source, "unauthenticated", `no AWS credentials for ${action}: ${message}`, {
      hint: "provide credentials through the default chain: environment, AWS_PROFILE, IRSA web identity, EKS Pod Identity or instance metadata",
      cause: error,
    });
  }
  return new CollectError(
    source,
    isNetworkError(error) ? "unreachable" : "failed",
    `${action} failed: ${code}: ${message}`,
    {
      cause: error,
    },
  );
}
