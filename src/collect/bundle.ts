/**
 * A recorded bundle: what `collect --record DIR` writes and `--from DIR` reads (docs/bundle.md).
 * This module only knows the layout and how to read its files without holding a large one
 * whole: Kubernetes Lists are scanned item by item (`listItems`), the usage CSV is checked
 * here as a stream (`checkCsv`) and read by DuckDB itself. Each collector reads its own files.
 */
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { createGunzip } from "node:zlib";
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

/** The path of a file of the bundle, or undefined when the bundle does not hold it. */
export function bundlePath(bundle: Bundle, ...parts: string[]): string | undefined {
  const path = join(bundle.dir, ...parts);
  return existsSync(path) ? path : undefined;
}

/** A small file of the bundle (a manifest, an AWS answer), or undefined when absent. */
export function readBundleFile(bundle: Bundle, ...parts: string[]): string | undefined {
  const path = bundlePath(bundle, ...parts);
  return path === undefined ? undefined : readFileSync(path, "utf8");
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

// --- Kubernetes Lists, item by item ------------------------------------------------------------

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The items of a List document (`{"kind": "List", "items": [...]}`, as `kubectl get -o json`
 * and `--record` write it), handed to `onItems` a batch at a time; the number of items, or
 * undefined when the file is absent. The file is read in 1 MiB chunks and only one item's text
 * is held at a time, so a List of any size parses in the memory of its largest item (Node cannot
 * hold a string of more than 512 MiB, about 150,000 pods). The scanner only follows strings and
 * brackets to find where each item begins and ends; each item is then parsed by JSON.parse.
 */
export function listItems<T>(
  path: string,
  source: string,
  onItems: (items: T[]) => void,
  options: { batchSize?: number; chunkBytes?: number } = {},
): number {
  const batchSize = options.batchSize ?? 500;
  const fail = (message: string): never => {
    throw new SourceError(source, `${path} ${message}`, {
      hint: "write it with `kubectl get <resource> -A -o json` or `capacity collect --record`",
    });
  };
  const fd = openSync(path, "r");
  const chunk = Buffer.allocUnsafe(options.chunkBytes ?? 1 << 20);
  let depth = 0;
  let inString = false;
  let escaped = false;
  // The last string at depth 1 (a key of the top object), and whether its colon came.
  let key: Buffer[] | undefined;
  let lastKey = "";
  let afterColon = false;
  let itemsSeen = false;
  let inItems = false;
  let item: Buffer[] | undefined; // the current item's bytes, when inside one
  let itemStart = -1;
  let batch: T[] = [];
  let count = 0;
  let started = false;
  const finishItem = () => {
    const text = Buffer.concat(item!).toString("utf8");
    item = undefined;
    try {
      batch.push(JSON.parse(text) as T);
    } catch (error) {
      fail(`item ${count + 1} is not valid JSON: ${(error as Error).message}`);
    }
    count++;
    if (batch.length >= batchSize) {
      onItems(batch);
      batch = [];
    }
  };
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      itemStart = item ? 0 : -1;
      let keyStart = key ? 0 : -1;
      for (let i = 0; i < n; i++) {
        const b = chunk[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (key) {
              key.push(Buffer.from(chunk.subarray(keyStart, i)));
              lastKey = Buffer.concat(key).toString("utf8");
              key = undefined;
            }
          }
          continue;
        }
        if (isSpace(b)) continue;
        if (!started) {
          if (b !== OPEN_OBJECT) fail("is not a List document (not a JSON object)");
          started = true;
          depth = 1;
          continue;
        }
        if (inItems && depth === 2 && item === undefined && b !== CLOSE_ARRAY && b !== COMMA) {
          item = [];
          itemStart = i;
        }
        switch (b) {
          case QUOTE:
            inString = true;
            if (depth === 1 && !afterColon) {
              key = [];
              keyStart = i + 1;
            }
            break;
          case COLON:
            if (depth === 1) afterColon = true;
            break;
          case OPEN_OBJECT:
          case OPEN_ARRAY:
            if (depth === 1 && afterColon && lastKey === "items") {
              if (b !== OPEN_ARRAY) fail("has an items field that is not an array");
              inItems = true;
              itemsSeen = true;
            }
            depth++;
            break;
          case CLOSE_OBJECT:
          case CLOSE_ARRAY:
            if (inItems && depth === 2 && b === CLOSE_ARRAY) {
              if (item) {
                item.push(Buffer.from(chunk.subarray(itemStart, i)));
                finishItem();
              }
              inItems = false;
            }
            depth--;
            if (depth === 1) afterColon = false;
            if (inItems && depth === 2 && item) {
              item.push(Buffer.from(chunk.subarray(itemStart, i + 1)));
              finishItem();
            }
            break;
          case COMMA:
            if (depth === 1) afterColon = false;
            if (inItems && depth === 2 && item) {
              item.push(Buffer.from(chunk.subarray(itemStart, i)));
              finishItem();
            }
            break;
        }
      }
      if (item) item.push(Buffer.from(chunk.subarray(itemStart, n)));
      if (key) key.push(Buffer.from(chunk.subarray(keyStart, n)));
    }
  } finally {
    closeSync(fd);
  }
  if (!started) fail("is empty");
  if (depth !== 0 || inString) fail("is cut short (the JSON does not end): was it copied whole?");
  if (!itemsSeen) fail("is not a List document (no items array)");
  if (batch.length > 0) onItems(batch);
  return count;
}

// --- CSV files, checked as a stream --------------------------------------------------------------

export interface CsvCheck {
  /** The first line. */
  header: string;
  /** Lines after the header (a last line without a newline counts). */
  records: number;
}

/**
 * Reads a CSV file (gzipped when its name ends in .gz) through once as a stream, holding no
 * more than a chunk: its header, how many lines follow, and, for gzip, that the file is whole
 * (the gzip trailer's length and checksum match). A file that is not gzip or is cut short is
 * a SourceError naming it.
 */
export async function checkCsv(path: string, source: string): Promise<CsvCheck> {
  const gzip = path.endsWith(".gz");
  let header: string | undefined;
  let head = "";
  let newlines = 0;
  let last = -1;
  let bytes = 0;
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = gzip ? input.pipe(createGunzip()) : input;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (chunk.length > 0) last = chunk[chunk.length - 1]!;
      let at = chunk.indexOf(0x0a);
      if (header === undefined) {
        head += chunk.subarray(0, at < 0 ? chunk.length : at).toString("utf8");
        if (at >= 0) header = head.replace(/\r$/, "");
      }
      while (at >= 0) {
        newlines++;
        at = chunk.indexOf(0x0a, at + 1);
      }
    }
  } catch (error) {
    input.destroy();
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "Z_BUF_ERROR" || code === "ERR_STREAM_PREMATURE_CLOSE"
        ? "is cut short (the gzip stream does not end): was it copied whole?"
        : code === "Z_DATA_ERROR"
          ? `is not a valid gzip file (${(error as Error).message})`
          : `cannot be read: ${(error as Error).message}`;
    throw new SourceError(source, `${path} ${why}`);
  }
  if (bytes === 0) throw new SourceError(source, `${path} is empty`);
  const lines = newlines + (last === 0x0a ? 0 : 1);
  return { header: header ?? head.replace(/\r$/, ""), records: lines - 1 };
}
