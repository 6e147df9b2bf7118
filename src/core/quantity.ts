/**
 * Kubernetes resource quantities, read exactly as apimachinery's `resource.ParseQuantity` reads
 * them (k8s.io/apimachinery/pkg/api/resource, quantity.go and suffix.go):
 *
 *   <quantity>        ::= <signedNumber><suffix>
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
 *   <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
 *   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *
 * What apimachinery does beyond the documented grammar, and we mirror:
 * - digits are ASCII only; no whitespace inside (`" 1"` is refused; a JSON value is trimmed of
 *   Go's whitespace first, as `Quantity.UnmarshalJSON` does);
 * - the exponent is any integer that fits an int64, then truncated to 32 bits (`1e4294967296`
 *   is 1), and the scale it makes wraps around as an int32 does;
 * - a number without digits (`-`, `.`, `Mi`, `k`, `e5`) reads as 0 where apimachinery's int64
 *   fast path applies, and is refused where it has to go through `inf.Dec` (`Pi`, `Ei`, `e-10`).
 *
 * Arithmetic is exact (bigint): a value is sign × digits × 10^pow10 × 2^pow2. Conversions round
 * the magnitude up: bytes as `Quantity.Value()`, millicores as `Quantity.MilliValue()` (what the
 * kubelet applies), so `0.5` bytes is 1 and `1n` CPU is 1 millicore; a negative value rounds
 * away from zero (`-0.5` bytes is -1), as apimachinery's int64 path does. We part from
 * apimachinery on purpose where it gives a wrong number: its `inf.Dec` path can flip a negative
 * (`-1.5n` has `Value()` 1), and a value beyond int64 is capped (binary suffixes, `9Ei`) or
 * overflows (`1e19`, `Value()` 0). Here a value whose bytes or millicores do not fit an int64 is
 * refused with a `QuantityError` naming the text: never ±Infinity, NaN, a silent cap or a wrap.
 */
import { InputError } from "./errors.js";

export interface ExactQuantity {
  readonly negative: boolean;
  /** The decimal digits of the number, without the point. */
  readonly digits: bigint;
  /** How many decimal digits `digits` has (0 for zero). */
  readonly digitCount: number;
  /** Power of ten applied to `digits` (the fraction's length subtracted, the suffix's added). */
  readonly pow10: number;
  /** Power of two applied (binary suffixes). */
  readonly pow2: number;
}

export interface Where {
  /** The object, e.g. `pod shop/web-7d9f-abcde`. */
  object: string;
  /** The field, e.g. `spec.containers[web].resources.requests.memory`. */
  field: string;
}

/** What a quantity broke: apimachinery's grammar, or the int64 every quantity must fit in. */
export type QuantityRule = "kubernetes-quantity" | "int64";

/** A value that is not a Kubernetes quantity, or one too large for one. An `InputError`. */
export class QuantityError extends InputError {
  /** The value as it was given (a string, or what else was there). */
  readonly value: unknown;
  readonly rule: QuantityRule;
  constructor(value: unknown, where: Where, rule: QuantityRule, message: string) {
    super(where.object, where.field, message);
    this.value = value;
    this.rule = rule;
  }
}

const DECIMAL_SI = new Map<string, number>([
  ["n", -9],
  ["u", -6],
  ["m", -3],
  ["", 0],
  ["k", 3],
  ["M", 6],
  ["G", 9],
  ["T", 12],
  ["P", 15],
  ["E", 18],
]);
const BINARY_SI = new Map<string, number>([
  ["Ki", 10],
  ["Mi", 20],
  ["Gi", 30],
  ["Ti", 40],
  ["Pi", 50],
  ["Ei", 60],
]);
/** Binary suffixes that apimachinery's int64 fast path takes for a number without digits. */
const BINARY_FAST_WITHOUT_DIGITS = new Set(["Ki", "Mi", "Gi", "Ti"]);
const SIGNED_INTEGER = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const ZERO: ExactQuantity = Object.freeze({ negative: false, digits: 0n, digitCount: 0, pow10: 0, pow2: 0 });

/**
 * Splits the number from its suffix as apimachinery's scanner (`parseQuantityString`) does: a
 * sign, ASCII digits, a point and digits; the rest is the suffix. One pass, no backtracking.
 */
function split(text: string): { sign: string; whole: string; fraction: string; suffix: string } {
  const digitsEnd = (from: number) => {
    let i = from;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    return i;
  };
  const sign = text[0] === "+" || text[0] === "-" ? text[0] : "";
  const wholeEnd = digitsEnd(sign.length);
  const whole = text.slice(sign.length, wholeEnd);
  if (text[wholeEnd] !== ".") return { sign, whole, fraction: "", suffix: text.slice(wholeEnd) };
  const fractionEnd = digitsEnd(wholeEnd + 1);
  return { sign, whole, fraction: text.slice(wholeEnd + 1, fractionEnd), suffix: text.slice(fractionEnd) };
}

interface Suffix {
  readonly base: 2 | 10;
  readonly exponent: number;
}

/** suffix.go's `interpret`: the tables first, then `e`/`E` and an int64 truncated to int32. */
function interpretSuffix(suffix: string): Suffix | null {
  const decimal = DECIMAL_SI.get(suffix);
  if (decimal !== undefined) return { base: 10, exponent: decimal };
  const binary = BINARY_SI.get(suffix);
  if (binary !== undefined) return { base: 2, exponent: binary };
  if (suffix.length < 2 || (suffix[0] !== "e" && suffix[0] !== "E")) return null;
  const rest = suffix.slice(1);
  if (!SIGNED_INTEGER.test(rest)) return null;
  const exponent = BigInt(rest);
  if (exponent < INT64_MIN || exponent > INT64_MAX) return null;
  return { base: 10, exponent: Number(BigInt.asIntN(32, exponent)) };
}

/**
 * The power of ten apimachinery keeps for a decimal quantity: its scale is an int32, computed
 * with wraparound (`1.5e-2147483648` is 15 × 10^2147483647). Where the wrapped scale is -2^31
 * its int64 path does not apply and inf.Dec's negated scale is +2^31.
 */
function int32Scale(pow10: number): number {
  const wrapped = pow10 | 0;
  return wrapped === -(2 ** 31) ? 2 ** 31 : wrapped;
}

/**
 * `ParseQuantity`'s verdict on `text`, with the exact value as written (apimachinery's rounding
 * to 1n and its cap happen in the conversions below). Null when apimachinery refuses the text.
 */
export function parseExact(text: string): ExactQuantity | null {
  if (text === "") return null;
  // The scanner also checks the suffix's shape ([eEinumkKMGTP]*[+-]?[0-9]*); every suffix that
  // `interpretSuffix` accepts has it, so that check is left to it.
  const { sign, whole, fraction, suffix: suffixText } = split(text);
  const suffix = interpretSuffix(suffixText);
  if (!suffix) return null;
  if (whole === "" && fraction === "") {
    const fast = suffix.base === 10 ? suffix.exponent >= -9 : BINARY_FAST_WITHOUT_DIGITS.has(suffixText);
    return fast ? ZERO : null;
  }
  const significant = `${whole}${fraction}`.replace(/^0+/, "");
  if (significant === "") return ZERO;
  return {
    negative: sign === "-",
    digits: BigInt(significant),
    digitCount: significant.length,
    pow10: suffix.base === 10 ? int32Scale(suffix.exponent - fraction.length) : -fraction.length,
    pow2: suffix.base === 2 ? suffix.exponent : 0,
  };
}

/**
 * q × 10^shift with its magnitude rounded up to a whole number, or null when that is beyond an
 * int64. Orders of magnitude are checked before any power is built, so `1e2147483647` costs
 * nothing.
 */
export function scaledValue(q: ExactQuantity, shift: number): bigint | null {
  if (q.digits === 0n) return 0n;
  const p = q.pow10 + shift;
  const length = q.digitCount;
  // digits × 10^p ≥ 10^(length - 1 + p), and 10^19 > 2^63 - 1; pow2 only makes it larger.
  if (length - 1 + p >= 19) return null;
  let magnitude: bigint;
  if (q.pow2 === 0 && length + p <= 0) {
    magnitude = 1n; // below one unit, and not zero: rounds up to one
  } else {
    const num = q.digits * 2n ** BigInt(q.pow2) * (p > 0 ? 10n ** BigInt(p) : 1n);
    const den = p < 0 ? 10n ** BigInt(-p) : 1n;
    magnitude = (num + den - 1n) / den;
  }
  if (magnitude > INT64_MAX) return null;
  return q.negative ? -magnitude : magnitude;
}

/** Go's `unicode.IsSpace`, which `strings.TrimSpace` (applied by `Quantity.UnmarshalJSON`) uses. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** Go's `strings.TrimSpace`, in one pass from each end (a regex `\s+$` is quadratic on `1 … x`). */
function trimGoSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && GO_SPACE.test(text[start]!)) start++;
  while (end > start && GO_SPACE.test(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** A long value is shown by its start and its length, so that an error stays one line. */
function shown(text: string): string {
  return text.length <= 64
    ? JSON.stringify(text)
    : `${JSON.stringify(text.slice(0, 48))}… (${text.length} characters)`;
}

/** A value that is not a string, as JSON where it can be (`{}`, `null`, `[1]`), briefly. */
function nonString(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length <= 64 ? text : `${text.slice(0, 48)}… (${text.length} characters)`;
}

/** Reads a JSON value as `Quantity.UnmarshalJSON` does: a string trimmed, or a (finite) number. */
function read(value: unknown, where: Where): { text: string; q: ExactQuantity } {
  const raw = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  const q = typeof raw === "string" ? parseExact(trimGoSpace(raw)) : null;
  if (typeof raw !== "string" || !q) {
    const text = typeof raw === "string" ? shown(raw) : nonString(raw);
    throw new QuantityError(
      value,
      where,
      "kubernetes-quantity",
      `${text} is not a Kubernetes quantity (examples: 100m, 0.5, 2, 512Mi, 1G, 1e3)`,
    );
  }
  return { text: raw, q };
}

function convert(value: unknown, where: Where, shift: number, unit: string): bigint {
  const { text, q } = read(value, where);
  const result = scaledValue(q, shift);
  if (result === null) {
    throw new QuantityError(
      value,
      where,
      "int64",
      `${shown(text)} is beyond what a Kubernetes quantity can hold (${INT64_MAX} ${unit})`,
    );
  }
  return result;
}

/** Bytes, rounded up to a whole byte as Kubernetes does (`Quantity.Value()`). */
export function parseBytes(text: unknown, where: Where): bigint {
  return convert(text, where, 0, "bytes");
}

/** Millicores, rounded up to a whole millicore as Kubernetes does (`Quantity.MilliValue()`). */
export function parseMillicores(text: unknown, where: Where): bigint {
  return convert(text, where, 3, "millicores");
}

/** Cores (a double at millicore precision). */
export function parseCores(text: unknown, where: Where): number {
  return Number(parseMillicores(text, where)) / 1000;
}

/** A plain count (pods, replicas), as a number. */
export function parseCount(text: unknown, where: Where): number {
  return Number(parseBytes(text, where));
}
