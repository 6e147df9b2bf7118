/**
 * A reference for src/core/quantity.ts, written as a different program: a line-by-line
 * transcription of apimachinery's `ParseQuantity` (k8s.io/apimachinery/pkg/api/resource,
 * quantity.go `parseQuantityString` and `ParseQuantity`, suffix.go `interpret`, inf.v0's
 * `Dec.SetString` and `Round`), with Go's int32 arithmetic, the precision rule that picks its
 * int64 or inf.Dec path, the round-up to 1n and the cap of binary values. Then `Value()` and
 * `MilliValue()` as quantity.ts documents them: the magnitude rounded up, the sign kept, and
 * anything beyond an int64 (capped by apimachinery or not) refused.
 */

export const INT64_MAX = 2n ** 63n - 1n;

/** apimachinery's parsed amount: ±unscaled × 10^-scale (inf.Dec's convention). */
export interface RefAmount {
  negative: boolean;
  /** The magnitude's unscaled digits. */
  unscaled: bigint;
  scale: number;
  /** apimachinery capped it at 2^63 - 1 (binary suffixes only). */
  capped: boolean;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9" && c.length === 1;
const int32 = (n: number) => n | 0;

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suf: string;
}

/** quantity.go's parseQuantityString. */
function parseQuantityString(str: string): Scanned | null {
  let positive = true;
  let pos = 0;
  const end = str.length;
  let value = "";
  let num = "";
  let denom = "";
  let suf = "";
  if (pos < end) {
    if (str[0] === "-") {
      positive = false;
      pos++;
    } else if (str[0] === "+") {
      pos++;
    }
  }
  for (let i = pos; ; i++) {
    if (i >= end) {
      num = "0";
      value = num;
      return { positive, value, num, denom, suf };
    }
    if (str[i] === "0") pos++;
    else break;
  }
  let i = pos;
  for (; ; i++) {
    if (i >= end) {
      num = str.slice(pos, end);
      value = str.slice(0, end);
      return { positive, value, num, denom, suf };
    }
    if (!isDigit(str[i])) break;
  }
  num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = "0";
  if (pos < end && str[pos] === ".") {
    pos++;
    let j = pos;
    for (; ; j++) {
      if (j >= end) {
        denom = str.slice(pos, end);
        value = str.slice(0, end);
        return { positive, value, num, denom, suf };
      }
      if (!isDigit(str[j])) break;
    }
    denom = str.slice(pos, j);
    pos = j;
  }
  value = str.slice(0, pos);
  const suffixStart = pos;
  for (let k = pos; ; k++) {
    if (k >= end) {
      suf = str.slice(suffixStart, end);
      return { positive, value, num, denom, suf };
    }
    if (!"eEinumkKMGTP".includes(str[k]!)) {
      pos = k;
      break;
    }
  }
  if (pos < end && (str[pos] === "-" || str[pos] === "+")) pos++;
  for (let k = pos; ; k++) {
    if (k >= end) {
      suf = str.slice(suffixStart, end);
      return { positive, value, num, denom, suf };
    }
    if (!isDigit(str[k])) return null; // ErrFormatWrong
  }
}

/** The Go program, step by step. Null where it returns an error. */
export function refParseQuantity(str: string): RefAmount | null {
  if (str.length === 0) return null; // ErrFormatWrong
  if (str === "0") return { negative: false, unscaled: 0n, scale: 0, capped: false };

  const scanned = parseQuantityString(str);
  if (!scanned) return null;
  const { positive, value, num, denom, suf } = scanned;

  // quantitySuffixer.interpret
  const tables: Record<string, [number, number]> = {
    "": [10, 0],
    n: [10, -9],
    u: [10, -6],
    m: [10, -3],
    k: [10, 3],
    M: [10, 6],
    G: [10, 9],
    T: [10, 12],
    P: [10, 15],
    E: [10, 18],
    Ki: [2, 10],
    Mi: [2, 20],
    Gi: [2, 30],
    Ti: [2, 40],
    Pi: [2, 50],
    Ei: [2, 60],
  };
  let base: number;
  let exponent: number;
  if (Object.hasOwn(tables, suf)) {
    [base, exponent] = tables[suf]!;
  } else if (suf.length > 1 && (suf[0] === "e" || suf[0] === "E")) {
    // strconv.ParseInt(s, 10, 64): a sign, then at least one digit, in int64 range.
    const rest = suf.slice(1);
    const body = rest[0] === "+" || rest[0] === "-" ? rest.slice(1) : rest;
    if (body.length === 0 || ![...body].every(isDigit)) return null; // ErrSuffix
    const parsed = BigInt(rest);
    if (parsed > INT64_MAX || parsed < -INT64_MAX - 1n) return null; // ErrSuffix
    base = 10;
    exponent = Number(parsed & 0xffffffffn) | 0; // int32(parsed)
  } else {
    return null; // ErrSuffix
  }

  // the int64 fast path
  let precision = 0;
  let scale = 0;
  let mantissa = 1n;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else if (denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision >= 0) {
    scale = int32(scale - denom.length);
    if (scale >= -9) {
      const result = BigInt(num + denom) * mantissa;
      if (result <= INT64_MAX) {
        return { negative: !positive && result !== 0n, unscaled: result, scale: -scale, capped: false };
      }
    }
  }

  // inf.Dec: SetString(value) needs a digit
  if (![...value].some(isDigit)) return null; // ErrNumeric
  const signless = value[0] === "+" || value[0] === "-" ? value.slice(1) : value;
  const dot = signless.indexOf(".");
  let unscaled = BigInt(signless.replace(".", "") || "0");
  let decScale = dot < 0 ? 0 : signless.length - dot - 1;
  if (base === 10) decScale = int32(decScale + int32(-exponent));
  else unscaled <<= BigInt(exponent);
  // Round(amount, 9, RoundUp) on the magnitude: only a finer scale changes the value, and a
  // value below 10^-(digits+1) nanos (1e-2147483647: Go would take hours) rounds up to 1n.
  if (unscaled !== 0n && decScale > 9) {
    const drop = decScale - 9;
    if (drop > unscaled.toString().length + 1) {
      unscaled = 1n;
    } else {
      const divisor = 10n ** BigInt(drop);
      unscaled = (unscaled + divisor - 1n) / divisor;
    }
    decScale = 9;
  }
  const capped = base === 2 && exceeds(unscaled, decScale, INT64_MAX);
  return { negative: !positive && unscaled !== 0n, unscaled, scale: decScale, capped };
}

/** unscaled × 10^-scale > bound, without building 10^2147483647 (same clamp as refScaled). */
function exceeds(unscaled: bigint, scale: number, bound: bigint): boolean {
  if (unscaled === 0n) return false;
  const shift = Math.max(-(unscaled.toString().length + 2), Math.min(40, -scale));
  return shift >= 0 ? unscaled * 10n ** BigInt(shift) > bound : unscaled > bound * 10n ** BigInt(-shift);
}

export type RefValue = { kind: "refused" } | { kind: "beyond-int64" } | { kind: "value"; value: bigint };

/**
 * ceil(|amount| × 10^shift) with the sign, as `Value()` (shift 0) and `MilliValue()` (shift 3)
 * per quantity.ts. The power of ten is clamped to where the answer cannot change: above 10^40
 * every non-zero amount is beyond an int64; below 10^-(digits+2) every one rounds up to 1.
 */
export function refScaled(amount: RefAmount | null, shift: number): RefValue {
  if (amount === null) return { kind: "refused" };
  if (amount.capped) return { kind: "beyond-int64" };
  if (amount.unscaled === 0n) return { kind: "value", value: 0n };
  const length = amount.unscaled.toString().length;
  const power = Math.max(-(length + 2), Math.min(40, shift - amount.scale));
  const num = amount.unscaled * (power > 0 ? 10n ** BigInt(power) : 1n);
  const den = power < 0 ? 10n ** BigInt(-power) : 1n;
  const magnitude = num / den + (num % den === 0n ? 0n : 1n);
  if (magnitude > INT64_MAX) return { kind: "beyond-int64" };
  return { kind: "value", value: amount.negative ? -magnitude : magnitude };
}

/** Go's unicode.IsSpace, code point by code point. */
const GO_SPACES = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** strings.TrimSpace, as `Quantity.UnmarshalJSON` applies it before parsing. */
export function goTrimSpace(s: string): string {
  const points = [...s];
  let start = 0;
  let stop = points.length;
  while (start < stop && GO_SPACES.has(points[start]!.codePointAt(0)!)) start++;
  while (stop > start && GO_SPACES.has(points[stop - 1]!.codePointAt(0)!)) stop--;
  return points.slice(start, stop).join("");
}
