import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import {
  parseBytes,
  parseCores,
  parseExact,
  parseMillicores,
  QuantityError,
} from "../../src/core/quantity.js";
import { goTrimSpace, INT64_MAX, type RefValue, refParseQuantity, refScaled } from "./quantity-reference.js";

const at = { object: "pod shop/web-1", field: "spec.containers[web].resources.requests.cpu" };

// Valid and near-valid quantities: signs, ASCII and other digits, points, every suffix and its
// near misses, exponents small, at the int32 and int64 edges and beyond, whitespace around and
// inside, numbers at the int64 edge.
/** Mostly `usual`, one time in `odds` one of `rare`. */
const mostly = (usual: string, odds: number, ...rare: string[]) =>
  fc.oneof(
    { weight: odds - 1, arbitrary: fc.constant(usual) },
    { weight: 1, arbitrary: fc.constantFrom(...rare) },
  );
const asciiDigits = (max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: max });
const otherDigit = fc.constantFrom("٣", "３", "߀", "𝟘", "¹", "½", "Ⅻ", "੦");
const whole = fc.oneof(
  { weight: 10, arbitrary: asciiDigits(6) },
  { weight: 4, arbitrary: asciiDigits(25) },
  { weight: 1, arbitrary: asciiDigits(400) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "9223372036854775807",
      "9223372036854775808",
      "9223372036854775",
      "9223372036854776",
      "8",
      "7",
      "9999999999999999999999",
      "999999999999999999",
      "1000000000000000000",
      "00000000000000000000001",
      "0",
      "00",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.oneof(otherDigit, fc.constantFrom(..."0123456789")), maxLength: 4 }),
  },
);
const exponent = fc
  .tuple(
    mostly("", 3, "+", "-", "-", "--", "+-"),
    fc.constantFrom("", "", "", "0", "000"),
    fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }).map(String) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 2000 }).map(String) },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(
            2n ** 31n,
            2n ** 32n,
            2n ** 63n,
            2n ** 64n,
            10n ** 19n,
            2n ** 31n + 9n,
            2n ** 32n - 9n,
          )
          .chain((edge) => fc.bigInt({ min: edge - 12n, max: edge + 12n }))
          .map(String),
      },
      { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String) },
      { weight: 1, arbitrary: fc.constantFrom("", "x", "1.5", "٣", " 1") },
    ),
  )
  .map(([sign, zeros, digits]) => `${sign}${zeros}${digits}`);
const suffix = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom("", "n", "u", "m", "k", "M", "G", "T", "P", "E") },
  { weight: 8, arbitrary: fc.constantFrom("Ki", "Mi", "Gi", "Ti", "Pi", "Ei") },
  { weight: 10, arbitrary: fc.tuple(fc.constantFrom("e", "E"), exponent).map(([e, x]) => `${e}${x}`) },
  {
    weight: 3,
    arbitrary: fc.constantFrom("ki", "KI", "K", "b", "B", "iB", "KiB", "e", "E+", "e-", "i", "mi", "µ"),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.string({ unit: fc.constantFrom(..."eEinumkKMGTP"), minLength: 1, maxLength: 3 }),
        fc.constantFrom("", "", "+", "-"),
        asciiDigits(3),
      )
      .map((parts) => parts.join("")),
  },
);
// Go's whitespace (trimmed, as UnmarshalJSON does) and two characters that are not (BOM, ZWSP).
const space = mostly("", 6, " ", "\t", "\n", "\u00a0", "\u0085", "\u3000", "\ufeff", "\u200b");
const structured = fc
  .record({
    before: space,
    sign: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom("", "", "+", "-") },
      { weight: 1, arbitrary: fc.constantFrom("--", "+-", "-+") },
    ),
    whole,
    fraction: fc.option(fc.oneof(asciiDigits(6), asciiDigits(30)), { nil: undefined, freq: 2 }),
    extraPoint: mostly("", 15, ".", ".5"),
    suffix,
    inside: mostly("", 15, " ", "\u00a0"),
    after: space,
  })
  .map(
    (q) =>
      `${q.before}${q.sign}${q.whole}${q.fraction === undefined ? "" : `.${q.fraction}`}${q.extraPoint}${q.inside}${q.suffix}${q.after}`,
  );
const noise = fc.string({ unit: fc.constantFrom(..."0123456789.+-eEinumkKMGTP \t٣"), maxLength: 12 });
const input = fc.oneof({ weight: 6, arbitrary: structured }, { weight: 1, arbitrary: noise });

const show = (v: RefValue) => (v.kind === "value" ? `${v.value}` : v.kind);

/** What the parser did: a value, or the documented error (naming the object, field and text). */
function outcome(text: string, parse: () => bigint): RefValue {
  try {
    return { kind: "value", value: parse() };
  } catch (error) {
    if (!(error instanceof QuantityError && error instanceof InputError)) throw error; // a crash
    if (!error.message.startsWith(`${at.object}: ${at.field}: ${JSON.stringify(text).slice(0, 40)}`)) {
      throw new Error(`the error does not name the object, field and text: ${error.message}`);
    }
    return { kind: error.rule === "int64" ? "beyond-int64" : "refused" };
  }
}

/** Plain comparisons: 100,000 runs of expect() would take most of the test's time. */
function agree(text: string, what: string, parser: RefValue, reference: RefValue): void {
  const same =
    parser.kind === reference.kind &&
    (parser.kind !== "value" || (reference.kind === "value" && parser.value === reference.value));
  if (!same) {
    throw new Error(
      `${what} of ${JSON.stringify(text)}: parser ${show(parser)}, reference ${show(reference)}`,
    );
  }
}

describe("Kubernetes quantities against a reference of apimachinery's ParseQuantity", () => {
  it("agree on accept, refuse, beyond-int64 and the value for 100,000 generated inputs, with no crash", () => {
    const seen = { value: 0, refused: 0, "beyond-int64": 0, negative: 0, trimmed: 0 };
    fc.assert(
      fc.property(input, (text) => {
        // ParseQuantity itself: the same verdict on the raw text.
        const accepted = parseExact(text) !== null;
        if (accepted !== (refParseQuantity(text) !== null)) {
          throw new Error(
            `ParseQuantity(${JSON.stringify(text)}): parser ${accepted}, reference ${!accepted}`,
          );
        }
        // The JSON-value readers: trimmed as UnmarshalJSON trims, then Value() and MilliValue().
        const reference = refParseQuantity(goTrimSpace(text));
        const bytes = outcome(text, () => parseBytes(text, at));
        const millicores = outcome(text, () => parseMillicores(text, at));
        agree(text, "bytes", bytes, refScaled(reference, 0));
        agree(text, "millicores", millicores, refScaled(reference, 3));
        if (millicores.kind === "value") {
          const cores = parseCores(text, at);
          if (!Number.isFinite(cores) || Math.abs(cores) > Number(INT64_MAX) / 1000) {
            throw new Error(`cores of ${JSON.stringify(text)}: ${cores}`);
          }
          if (cores < 0) seen.negative++;
        }
        seen[bytes.kind]++;
        if (goTrimSpace(text) !== text && bytes.kind !== "refused") seen.trimmed++;
      }),
      { numRuns: 100_000 },
    );
    // The generator reaches every outcome often enough for the agreement to mean something.
    expect(seen.value).toBeGreaterThan(30_000);
    expect(seen.refused).toBeGreaterThan(20_000);
    expect(seen["beyond-int64"]).toBeGreaterThan(3_000);
    expect(seen.negative).toBeGreaterThan(1_000);
    expect(seen.trimmed).toBeGreaterThan(1_000);
  });
});
