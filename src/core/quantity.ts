/**
 * Kubernetes resource quantities, parsed exactly as apimachinery's `resource.Quantity` does:
 *
 *   <quantity>        ::= <signedNumber><suffix>
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
 *   <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
 *   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *
 * Arithmetic is exact (bigint): a value is sign × digits × 10^pow10 × 2^pow2. Memory converts to
 * whole bytes rounding up (Quantity.Value), CPU to cores at millicore precision rounding up
 * (Quantity.MilliValue, what the kubelet applies). Anything else is an InputError naming the
 * object and the field: a quantity never silently becomes zero.
 */
import { InputError } from "./errors.js";

export interface ExactQuantity {
  readonly negative: boolean;
  /** The decimal digits of the number, without the point. */
  readonly digits: bigint;
  /** Power of ten applied to `digits` (the fraction's length subtracted, the suffix's added). */
  readonly pow10: number;
  /** Power of two applied (binary suffixes). */
  readonly pow2: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;
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
const EXPONENT = /^[eE]([+-]?\d+)$/;
/** apimachinery refuses exponents this large; so do we, to keep bigint arithmetic bounded. */
const MAX_EXPONENT = 1000;

/** Parses the grammar; returns null when `text` is not a quantity. */
export function parseExact(text: string): ExactQuantity | null {
  const match = NUMBER.exec(text);
  if (!match) return null;
  const [, sign = "", whole = "", fraction, suffix = ""] = match;
  if (whole === "" && (fraction === undefined || fraction === "")) return null;
  let pow10 = -(fraction?.length ?? 0);
  let pow2 = 0;
  const decimal = DECIMAL_SI.get(suffix);
  const binary = BINARY_SI.get(suffix);
  if (decimal !== undefined) {
    pow10 += decimal;
  } else if (binary !== undefined) {
    pow2 = binary;
  } else {
    const exp = EXPONENT.exec(suffix);
    if (!exp) return null;
    const e = Number(exp[1]);
    if (Math.abs(e) > MAX_EXPONENT) return null;
    pow10 += e;
  }
  const digits = BigInt(`${whole}${fraction ?? ""}` || "0");
  return { negative: sign === "-" && digits !== 0n, digits, pow10, pow2 };
}

/** ceil(q × 10^shift) as a bigint, exactly. */
function ceilScaled(q: ExactQuantity, shift: number): bigint {
  const p = q.pow10 + shift;
  let num = q.digits * 2n ** BigInt(q.pow2);
  let den = 1n;
  if (p >= 0) num *= 10n ** BigInt(p);
  else den = 10n ** BigInt(-p);
  if (q.negative) return -(num / den); // ceil of a negative number truncates toward zero
  return (num + den - 1n) / den;
}

export interface Where {
  /** The object, e.g. `pod shop/web-7d9f-abcde`. */
  object: string;
  /** The field, e.g. `spec.containers[web].resources.requests.memory`. */
  field: string;
}

function refuse(text: unknown, where: Where): never {
  throw new InputError(
    where.object,
    where.field,
    `${JSON.stringify(text)} is not a Kubernetes quantity (examples: 100m, 0.5, 2, 512Mi, 1G, 1e3)`,
  );
}

/** Bytes, rounded up to a whole byte as Kubernetes does. */
export function parseBytes(text: unknown, where: Where): bigint {
  if (typeof text === "number" && Number.isFinite(text)) text = String(text);
  if (typeof text !== "string") refuse(text, where);
  const q = parseExact(text);
  if (!q) refuse(text, where);
  return ceilScaled(q, 0);
}

/** Millicores, rounded up to a whole millicore as Kubernetes does. */
export function parseMillicores(text: unknown, where: Where): bigint {
  if (typeof text === "number" && Number.isFinite(text)) text = String(text);
  if (typeof text !== "string") refuse(text, where);
  const q = parseExact(text);
  if (!q) refuse(text, where);
  return ceilScaled(q, 3);
}

/** Cores (a double at millicore precision). */
export function parseCores(text: unknown, where: Where): number {
  return Number(parseMillicores(text, where)) / 1000;
}

/** A plain count (pods, replicas), as a number. */
export function parseCount(text: unknown, where: Where): number {
  return Number(parseBytes(text, where));
}
