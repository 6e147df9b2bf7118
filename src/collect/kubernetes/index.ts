/**
 * The Kubernetes inventory collector. Reads List documents (kubectl `-o json`, or what
 * `--record` wrote) from a bundle; the live API client arrives with its own issue.
 */

import { SourceError } from "../../core/errors.js";
import type { Bundle } from "../bundle.js";
import { readBundleJson } from "../bundle.js";
import {
  INVENTORY_RESOURCES,
  type Inventory,
  type K8sObject,
  type KubernetesRows,
  mapInventory,
} from "./map.js";

export function readInventory(bundle: Bundle, cluster: string): { inventory: Inventory; missing: string[] } {
  const inventory = Object.fromEntries(
    INVENTORY_RESOURCES.map((r) => [r, [] as K8sObject[]]),
  ) as unknown as Inventory;
  const missing: string[] = [];
  for (const resource of INVENTORY_RESOURCES) {
    const doc = readBundleJson(bundle, "kubernetes", "kubernetes", cluster, `${resource}.json`) as
      | { kind?: string; items?: K8sObject[] }
      | undefined;
    if (doc === undefined) {
      if (resource !== "rollouts") missing.push(resource);
      continue;
    }
    if (!Array.isArray(doc.items)) {
      throw new SourceError(
        "kubernetes",
        `kubernetes/${cluster}/${resource}.json is not a List document (no items array)`,
      );
    }
    inventory[resource] = doc.items;
  }
  return { inventory, missing };
}

export interface KubernetesCollection {
  rows: KubernetesRows;
  missingResources: string[];
}

export function collectKubernetesFromBundle(bundle: Bundle, cluster: string): KubernetesCollection {
  const { inventory, missing } = readInventory(bundle, cluster);
  if (inventory.nodes.length === 0 && inventory.pods.length === 0) {
    throw new SourceError("kubernetes", `the bundle has no nodes or pods for cluster ${cluster}`);
  }
  return { rows: mapInventory(inventory, cluster), missingResources: missing };
}
