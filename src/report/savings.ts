/**
 * The savings each family found, as the headline and recommendations.json tell them: a figure, or
 * the reason there is none, and the families no analyzer of this version looks at, with why.
 */
import type { Confidence, Savings } from "../analyze/analyzer.js";
import { round } from "./format.js";

/** The savings categories the schema names: each says a figure, or why there is none. */
const SAVINGS_CATEGORIES = ["rightsizing", "spot", "fargate", "idle"] as const;

export interface CategorySavings {
  /** USD per month; null when none was computed. */
  usd: number | null;
  /** computed: `usd` is the figure; not_computed: the analyzer ran and says why there is none; not_analyzed: no analyzer of this version reports it. */
  status: "computed" | "not_computed" | "not_analyzed";
  reason: string;
  /** How sure the figure is; null when there is none. */
  confidence: Confidence | null;
}

export function categorySavings(savings: ReadonlyArray<Savings>): Record<string, CategorySavings> {
  const found = new Map(savings.map((s) => [s.category, s]));
  const categories = [...new Set([...SAVINGS_CATEGORIES, ...found.keys()])];
  return Object.fromEntries(
    categories.map((category): [string, CategorySavings] => {
      const s = found.get(category);
      if (!s)
        return [
          category,
          {
            usd: null,
            status: "not_analyzed",
            reason: "no analyzer of this version computes it",
            confidence: null,
          },
        ];
      if (s.monthlyUsd === null)
        return [
          category,
          { usd: null, status: "not_computed", reason: s.reason ?? s.label, confidence: null },
        ];
      return [
        category,
        {
          usd: round(s.monthlyUsd),
          status: "computed",
          reason: s.reason ?? s.label,
          confidence: s.confidence ?? null,
        },
      ];
    }),
  );
}

/** One family as the report's headline lists it. */
export interface SavingsFamily extends CategorySavings {
  category: string;
  label: string;
}

export function savingsFamilies(savings: ReadonlyArray<Savings>): SavingsFamily[] {
  const labels = new Map(savings.map((s) => [s.category, s.label]));
  return Object.entries(categorySavings(savings)).map(([category, s]) => ({
    category,
    label: labels.get(category) ?? category,
    ...s,
  }));
}

/**
 * Savings no analyzer of this version computes, and why: the headline names them so that its
 * total is never read as "everything". Remove a line when an analyzer starts to compute it.
 */
export const NOT_ANALYSED: ReadonlyArray<{ family: string; reason: string }> = [
  {
    family: "a new Savings Plan for the steady baseline",
    reason:
      "the spot mix names the baseline that belongs on commitments; what buying one would save is not priced",
  },
];
