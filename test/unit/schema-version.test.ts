/** recommendations.json's JSON Schema names the version the tool writes, in its `$id` and its `schemaVersion` const. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/core/paths.js";
import { SCHEMA_VERSION } from "../../src/report/recommendations.js";

describe("the recommendations schema's version", () => {
  it("is the one the tool writes, in the schema's $id and its schemaVersion const alike", () => {
    const schema = JSON.parse(readFileSync(projectPath("docs", "recommendations.schema.json"), "utf8")) as {
      $id: string;
      properties: { schemaVersion: { const: string } };
    };
    expect(schema.$id).toBe(`https://capacity.dev/schemas/recommendations/${SCHEMA_VERSION}`);
    expect(schema.properties.schemaVersion.const).toBe(SCHEMA_VERSION);
  });
});
