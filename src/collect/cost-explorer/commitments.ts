/**
 * Savings Plans and Reserved Instances from Cost Explorer: coverage of the region's EC2 compute
 * (GetSavingsPlansCoverage, GetReservationCoverage) and the account's Savings Plans utilisation
 * (GetSavingsPlansUtilization), DAILY over the window, mapped to aws_commitments rows. Live
 * (commitments-client.ts, loaded only by a live collection) or from a bundle's recorded answers
 * (aws/<cluster>/commitments.json); both map the same responses.
 */
import { SourceError } from "../../core/errors.js";
import { type Bundle, readBundleJson } from "../bundle.js";
import type { RowProblem } from "../source.js";
import { bad, isAmount } from "./map.js";
import type { CommitmentRow } from "./tables.js";

type Amounts = Record<string, string | undefined>;
interface Period {
  TimePeriod?: { Start?: string; End?: string };
}
export interface SavingsPlansCoverageResponse {
  SavingsPlansCoverages?: Array<Period & { Coverage?: Amounts }>;
  NextToken?: string;
}
export interface SavingsPlansUtilizationResponse {
  SavingsPlansUtilizationsByTime?: Array<Period & { Utilization?: Amounts }>;
}
export interface ReservationCoverageResponse {
  CoveragesByTime?: Array<Period & { Total?: { CoverageHours?: Amounts; CoverageCost?: Amounts } }>;
  NextPageToken?: string;
}

/** What commitments.json holds: each call's requests and answers, verbatim. */
export interface RecordedCommitments {
  savingsPlansCoverage: Array<{ request: unknown; response: SavingsPlansCoverageResponse }>;
  /** null: the account has no Savings Plans (DataUnavailableException). */
  savingsPlansUtilization: { request: unknown; response: SavingsPlansUtilizationResponse } | null;
  reservationCoverage: Array<{ request: unknown; response: ReservationCoverageResponse }>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** aws_commitments rows of recorded answers; a period or amount that does not parse is a problem, not a zero. */
export function mapCommitments(
  recorded: RecordedCommitments,
  cluster: string,
  problems: RowProblem[],
): CommitmentRow[] {
  const rows: CommitmentRow[] = [];
  const base = (commitment: string, measure: string, p: Period, object: string) => {
    const start = p.TimePeriod?.Start?.slice(0, 10);
    const end = p.TimePeriod?.End?.slice(0, 10);
    if (!start || !end || !DAY.test(start) || !DAY.test(end)) {
      problems.push(bad(object, "TimePeriod", p.TimePeriod, "date", "is not a period of dates"));
      return undefined;
    }
    return { cluster, commitment, measure, period_start: start, period_end: end, source: "cost-explorer" };
  };
  // An absent amount is null; one that is present and not a decimal leaves the period out.
  const amounts = (object: string, values: Amounts | undefined, fields: string[]) => {
    const out: Record<string, string | null> = {};
    for (const f of fields) {
      const v = values?.[f];
      if (v !== undefined && !isAmount(v)) {
        problems.push(bad(object, f, v, "decimal", "is not an amount (a decimal below 10^27)"));
        return undefined;
      }
      out[f] = v ?? null;
    }
    return out;
  };
  for (const page of recorded.savingsPlansCoverage) {
    for (const [i, c] of (page.response.SavingsPlansCoverages ?? []).entries()) {
      const object = `GetSavingsPlansCoverage SavingsPlansCoverages[${i}]`;
      const row = base("savings-plans", "coverage", c, object);
      const a = amounts(object, c.Coverage, ["SpendCoveredBySavingsPlans", "OnDemandCost"]);
      if (!row || !a) continue;
      rows.push({
        ...row,
        covered_usd: a.SpendCoveredBySavingsPlans!,
        on_demand_usd: a.OnDemandCost!,
        covered_hours: null,
        on_demand_hours: null,
        commitment_usd: null,
        used_usd: null,
        unused_usd: null,
      });
    }
  }
  for (const [i, u] of (
    recorded.savingsPlansUtilization?.response.SavingsPlansUtilizationsByTime ?? []
  ).entries()) {
    const object = `GetSavingsPlansUtilization SavingsPlansUtilizationsByTime[${i}]`;
    const row = base("savings-plans", "utilization", u, object);
    const a = amounts(object, u.Utilization, ["TotalCommitment", "UsedCommitment", "UnusedCommitment"]);
    if (!row || !a) continue;
    rows.push({
      ...row,
      covered_usd: null,
      on_demand_usd: null,
      covered_hours: null,
      on_demand_hours: null,
      commitment_usd: a.TotalCommitment!,
      used_usd: a.UsedCommitment!,
      unused_usd: a.UnusedCommitment!,
    });
  }
  for (const page of recorded.reservationCoverage) {
    for (const [i, c] of (page.response.CoveragesByTime ?? []).entries()) {
      const object = `GetReservationCoverage CoveragesByTime[${i}]`;
      const row = base("reserved-instances", "coverage", c, object);
      const hours = amounts(object, c.Total?.CoverageHours, ["ReservedHours", "OnDemandHours"]);
      const cost = amounts(object, c.Total?.CoverageCost, ["OnDemandCost"]);
      if (!row || !hours || !cost) continue;
      rows.push({
        ...row,
        covered_usd: null,
        on_demand_usd: cost.OnDemandCost!,
        covered_hours: hours.ReservedHours === null ? null : Number(hours.ReservedHours),
        on_demand_hours: hours.OnDemandHours === null ? null : Number(hours.OnDemandHours),
        commitment_usd: null,
        used_usd: null,
        unused_usd: null,
      });
    }
  }
  return rows;
}

export const COMMITMENTS_FILE = "commitments.json";

/** The recorded answers of a bundle, or undefined when it has none (bundles from before them). */
export function readRecordedCommitments(bundle: Bundle, cluster: string): RecordedCommitments | undefined {
  const recorded = readBundleJson(bundle, "cost-explorer", "aws", cluster, COMMITMENTS_FILE) as
    | RecordedCommitments
    | undefined;
  if (recorded === undefined) return undefined;
  if (
    typeof recorded !== "object" ||
    recorded === null ||
    !Array.isArray(recorded.savingsPlansCoverage) ||
    !Array.isArray(recorded.reservationCoverage)
  )
    throw new SourceError(
      "cost-explorer",
      `aws/${cluster}/${COMMITMENTS_FILE} must hold savingsPlansCoverage and reservationCoverage arrays`,
    );
  return recorded;
}
