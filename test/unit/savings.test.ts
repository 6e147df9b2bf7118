import { describe, expect, it } from "vitest";
import { categorySavings, savingsFamilies } from "../../src/report/savings.js";

describe("the savings by family", () => {
  it("carries each computed family's confidence, and none for a family without a figure", () => {
    const by = categorySavings([
      { category: "rightsizing", label: "right-sizing", monthlyUsd: 12.345, confidence: "fairly sure" },
      { category: "spot", label: "spot", monthlyUsd: null, reason: "no spot prices", confidence: "estimate" },
    ]);
    expect(by.rightsizing).toEqual({
      usd: 12.345,
      status: "computed",
      reason: "right-sizing",
      confidence: "fairly sure",
    });
    expect(by.spot).toEqual({
      usd: null,
      status: "not_computed",
      reason: "no spot prices",
      confidence: null,
    });
    expect(by.fargate).toMatchObject({ status: "not_analyzed", confidence: null });
  });

  it("labels the headline's families with the analyzers' labels", () => {
    const families = savingsFamilies([
      { category: "idle", label: "what nothing uses", monthlyUsd: 3, confidence: "sure" },
    ]);
    expect(families.find((f) => f.category === "idle")).toMatchObject({
      label: "what nothing uses",
      confidence: "sure",
    });
    expect(families.find((f) => f.category === "spot")).toMatchObject({
      label: "spot",
      status: "not_analyzed",
    });
  });
});
