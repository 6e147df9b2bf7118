/**
 * Loads `data/reference/*.csv` as `ref_*` tables (replaced on every open, so a new snapshot in
 * a new release takes effect) and keeps each file's provenance line in `ref_sources`.
 */
import { projectPath } from "../core/paths.js";
import { referenceProvenance } from "../core/reference-csv.js";
import type { Store } from "./store.js";

export const REFERENCE_FILES = {
  ref_ec2_instance_types: "ec2-instance-types.csv",
  ref_ec2_prices: "ec2-ondemand-prices.csv",
  ref_fargate_configurations: "fargate-configurations.csv",
  ref_fargate_prices: "fargate-prices.csv",
  ref_service_prices: "service-prices.csv",
  ref_eks_versions: "eks-kubernetes-versions.csv",
} as const;

export async function loadReference(store: Store): Promise<void> {
  await store.transaction(async () => {
    await store.run(
      "CREATE OR REPLACE TABLE ref_sources (table_name VARCHAR, file VARCHAR, provenance VARCHAR)",
    );
    for (const [table, file] of Object.entries(REFERENCE_FILES)) {
      const path = projectPath("data", "reference", file);
      // The table name comes from the constant map above, never from input; the path is bound.
      await store.run(
        `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv($1, header = true, comment = '#')`,
        [path],
      );
      await store.run("INSERT INTO ref_sources VALUES ($1, $2, $3)", [
        table,
        file,
        referenceProvenance(file),
      ]);
    }
  });
}
