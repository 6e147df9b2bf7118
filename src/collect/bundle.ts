/**
 * A recorded bundle: what `collect --record DIR` writes and `--from DIR` reads (docs/bundle.md).
 * This module only knows the layout; each collector reads its own files through it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { SourceError } from "../core/errors.js";

export const BUNDLE_FORMAT = "capacity-bundle/1";

const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  createdAt: z.string(),
  window: z.object({ start: z.string(), end: z.string() }),
  clusters: z.array(z.object({ name: z.string(), region: z.string() })).min(1),
});
export type BundleManifest = z.infer<typeof manifestSchema>;

export interface Bundle {
  dir: string;
  manifest: BundleManifest;
}

export function openBundle(dir: string): Bundle {
  const path = join(dir, "bundle.json");
  if (!existsSync(path)) {
    throw new SourceError("bundle", `${dir} has no bundle.json`, {
      hint: "point --from at a directory written by `capacity collect --record DIR` (or data/demo)",
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new SourceError("bundle", `${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new SourceError("bundle", `${path}: ${issues}`);
  }
  return { dir, manifest: parsed.data };
}

/** A file of the bundle, or undefined when the bundle does not hold it. Gzip is undone. */
export function readBundleFile(bundle: Bundle, ...parts: string[]): string | undefined {
  const path = join(bundle.dir, ...parts);
  if (!existsSync(path)) return undefined;
  const bytes = readFileSync(path);
  return (path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
}

export function readBundleJson(bundle: Bundle, source: string, ...parts: string[]): unknown {
  const text = readBundleFile(bundle, ...parts);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SourceError(
      source,
      `${join(bundle.dir, ...parts)} is not valid JSON: ${(error as Error).message}`,
    );
  }
}
