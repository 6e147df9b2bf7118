/**
 * The live Savings Plans and RI calls (GetSavingsPlansCoverage, GetSavingsPlansUtilization,
 * GetReservationCoverage) through the collector's CostExplorer client, every page (each a paid
 * request), recorded as answered. Imported lazily, so a replay never loads the AWS SDK. An
 * account without Savings Plans answers utilisation with DataUnavailableException: that is
 * "none", not a failure.
 */
import {
  GetReservationCoverageCommand,
  type GetReservationCoverageCommandInput,
  GetSavingsPlansCoverageCommand,
  type GetSavingsPlansCoverageCommandInput,
  GetSavingsPlansUtilizationCommand,
  type GetSavingsPlansUtilizationCommandInput,
} from "@aws-sdk/client-cost-explorer";
import { awsFailure } from "../aws.js";
import { failureKind } from "../errors.js";
import type { CostExplorer } from "./client.js";
import type {
  RecordedCommitments,
  ReservationCoverageResponse,
  SavingsPlansCoverageResponse,
  SavingsPlansUtilizationResponse,
} from "./commitments.js";
import { EC2_COMPUTE } from "./map.js";

/** EC2 compute in the cluster's region: what the cluster's nodes can be covered by. */
const ec2InRegion = (region: string) => ({
  And: [
    { Dimensions: { Key: "SERVICE" as const, Values: [EC2_COMPUTE] } },
    { Dimensions: { Key: "REGION" as const, Values: [region] } },
  ],
});

/** The three calls, every page (each a paid request), recorded as answered. */
export async function fetchCommitments(
  ce: CostExplorer,
  window: { start: string; end: string },
  region: string,
  signal?: AbortSignal,
): Promise<RecordedCommitments> {
  const send = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
    ce.paidRequests++;
    try {
      return await fn();
    } catch (error) {
      throw awsFailure("cost-explorer", action, error);
    }
  };
  const period = { Start: window.start, End: window.end };
  const recorded: RecordedCommitments = {
    savingsPlansCoverage: [],
    savingsPlansUtilization: null,
    reservationCoverage: [],
  };
  let token: string | undefined;
  do {
    const request: GetSavingsPlansCoverageCommandInput = {
      TimePeriod: period,
      Granularity: "DAILY",
      Filter: ce.scoped(ec2InRegion(region)),
      ...(token ? { NextToken: token } : {}),
    };
    const { $metadata: _, ...response } = await send("ce:GetSavingsPlansCoverage", () =>
      ce.client.send(new GetSavingsPlansCoverageCommand(request), { abortSignal: signal }),
    );
    recorded.savingsPlansCoverage.push({ request, response: response as SavingsPlansCoverageResponse });
    token = response.NextToken;
  } while (token);
  const utilization: GetSavingsPlansUtilizationCommandInput = {
    TimePeriod: period,
    Granularity: "DAILY",
    ...(ce.linkedAccount ? { Filter: ce.scoped(undefined) } : {}),
  };
  try {
    const { $metadata: _, ...response } = await send("ce:GetSavingsPlansUtilization", () =>
      ce.client.send(new GetSavingsPlansUtilizationCommand(utilization), { abortSignal: signal }),
    );
    recorded.savingsPlansUtilization = {
      request: utilization,
      response: response as SavingsPlansUtilizationResponse,
    };
  } catch (error) {
    // No Savings Plan in the account: there is nothing to utilise.
    if (failureKind(error) !== "no-data") throw error;
  }
  token = undefined;
  do {
    const request: GetReservationCoverageCommandInput = {
      TimePeriod: period,
      Granularity: "DAILY",
      Filter: ce.scoped(ec2InRegion(region)),
      ...(token ? { NextPageToken: token } : {}),
    };
    const { $metadata: _, ...response } = await send("ce:GetReservationCoverage", () =>
      ce.client.send(new GetReservationCoverageCommand(request), { abortSignal: signal }),
    );
    recorded.reservationCoverage.push({ request, response: response as ReservationCoverageResponse });
    token = response.NextPageToken;
  } while (token);
  return recorded;
}
