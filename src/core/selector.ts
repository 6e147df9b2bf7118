/**
 * Kubernetes label selectors as kubectl's `-l` takes them: `app=web`, `app==web`, `tier!=cache`,
 * `env in (prod,staging)`, `env notin (dev)`, `team` (the key exists), `!legacy` (it does not),
 * joined by commas, all of them required. A selector that does not parse is an error naming the
 * part, never a filter that matches everything.
 */
export type Requirement =
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

export class SelectorError extends Error {}

/** Splits on the commas that are not inside a set's parentheses. */
function parts(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of text) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out.map((p) => p.trim());
}

function checked(key: string, values: string[], part: string): void {
  if (!KEY.test(key)) throw new SelectorError(`${part}: ${JSON.stringify(key)} is not a label key`);
  for (const v of values)
    if (!VALUE.test(v)) throw new SelectorError(`${part}: ${JSON.stringify(v)} is not a label value`);
}

export function parseSelector(text: string): Requirement[] {
  if (text.trim() === "") return [];
  return parts(text).map((part) => {
    let m = /^!\s*(\S+)$/.exec(part);
    if (m) {
      checked(m[1]!, [], part);
      return { key: m[1]!, op: "!exists" };
    }
    m = /^(\S+?)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
    if (m) {
      const values = m[3]!.split(",").map((v) => v.trim());
      checked(m[1]!, values, part);
      return { key: m[1]!, op: m[2] as "in" | "notin", values };
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) {
      checked(m[1]!, [m[3]!], part);
      return { key: m[1]!, op: m[2] === "!=" ? "notin" : "in", values: [m[3]!] };
    }
    if (/^\S+$/.test(part)) {
      checked(part, [], part);
      return { key: part, op: "exists" };
    }
    throw new SelectorError(`${JSON.stringify(part)} is not a selector requirement`);
  });
}

/** Whether labels satisfy every requirement (`!=` and `notin` also match a missing key, as in Kubernetes). */
export function matches(
  requirements: readonly Requirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    if (!("values" in r)) return has === (r.op === "exists");
    const inSet = has && r.values.includes(labels[r.key]!);
    return r.op === "in" ? inSet : !inSet;
  });
}
