/**
 * CLI flags derived from the config schema (STYLE.md 3): every scalar key becomes a flag
 * named after its dotted path in kebab case (`historyDays` → `--history-days`,
 * `prometheus.url` → `--prometheus.url`), with the schema's description as its help.
 */
import { z } from "zod";
import { configSchema } from "./schema.js";

export interface FlagSpec {
  /** Dotted config path, e.g. `allocation.splitMethod`. */
  path: string;
  /** The flag as typed, e.g. `--allocation.split-method`. */
  flag: string;
  kind: "string" | "number" | "boolean";
  choices?: readonly string[];
  description: string;
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function unwrap(schema: z.ZodType): { inner: z.ZodType; description: string | undefined } {
  let node: z.ZodType = schema;
  let description = schema.description;
  while (node instanceof z.ZodDefault || node instanceof z.ZodPrefault || node instanceof z.ZodOptional) {
    node = node.unwrap() as z.ZodType;
    description ??= node.description;
  }
  return { inner: node, description };
}

export function configFlags(schema: z.ZodType = configSchema, prefix: string[] = []): FlagSpec[] {
  const { inner } = unwrap(schema);
  if (!(inner instanceof z.ZodObject)) return [];
  const flags: FlagSpec[] = [];
  for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
    const path = [...prefix, key];
    const { inner: leaf, description } = unwrap(child);
    const spec = {
      path: path.join("."),
      flag: `--${path.map(kebab).join(".")}`,
      description: description ?? "",
    };
    if (leaf instanceof z.ZodObject) flags.push(...configFlags(leaf, path));
    else if (leaf instanceof z.ZodBoolean) flags.push({ ...spec, kind: "boolean" });
    else if (leaf instanceof z.ZodNumber) flags.push({ ...spec, kind: "number" });
    else if (leaf instanceof z.ZodEnum)
      flags.push({ ...spec, kind: "string", choices: leaf.options as string[] });
    else if (leaf.def.type === "string") flags.push({ ...spec, kind: "string" });
  }
  return flags;
}

/**
 * Turns a flag's text into the value the schema expects (numbers stay checked by the schema). A
 * boolean flag alone means true; with a value, true/false (yes/no, 1/0); any other word is left
 * for the schema to refuse, naming the key.
 */
export function flagValue(spec: FlagSpec, raw: string | boolean): unknown {
  if (spec.kind === "boolean") {
    if (typeof raw === "boolean") return raw;
    const word = raw.trim().toLowerCase();
    if (["true", "yes", "1"].includes(word)) return true;
    if (["false", "no", "0"].includes(word)) return false;
    return raw;
  }
  if (spec.kind === "number" && typeof raw === "string" && raw.trim() !== "" && !Number.isNaN(Number(raw))) {
    return Number(raw);
  }
  return raw;
}
