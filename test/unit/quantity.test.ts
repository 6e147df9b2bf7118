import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { parseBytes, parseCores, parseMillicores } from "../../src/core/quantity.js";

const at = { object: "pod shop/web-1", field: "spec.containers[web].resources.requests.memory" };

describe("Kubernetes quantities", () => {
  it.each([
    ["100m", 0.1],
    ["0.5", 0.5],
    ["2", 2],
    ["+1", 1],
    ["1e3", 1000],
    ["1E3", 1000],
    ["250m", 0.25],
    [".5", 0.5],
    ["5.", 5],
    ["1.5k", 1500],
    ["1n", 0.001], // rounded up to a millicore, as MilliValue does
    ["0", 0],
  ])("parses CPU %s as %d cores", (text, cores) => {
    expect(parseCores(text, at)).toBe(cores);
  });

  it.each([
    ["1Gi", 1073741824n],
    ["512Mi", 536870912n],
    ["1G", 1000000000n],
    ["500M", 500000000n],
    ["1.5Ki", 1536n],
    ["1e3", 1000n],
    ["128974848", 128974848n],
    ["129e6", 129000000n],
    ["123Mi", 128974848n],
    ["100m", 1n], // 0.1 byte rounds up to one byte
    ["8Gi", 8589934592n],
    ["1Ei", 1152921504606846976n],
    ["-1", -1n],
    ["0.1Ki", 103n], // 102.4 rounds up
  ])("parses memory %s as %d bytes", (text, bytes) => {
    expect(parseBytes(text, at)).toBe(bytes);
  });

  it.each(["", "Mi", "1.2.3", "1Gb", "one", "1 Gi", "1e", "1e3.5", "1KiB", "--1", ".", "1ee3", "1x"])(
    "refuses %j with an error naming the object and field",
    (text) => {
      expect(() => parseBytes(text, at)).toThrow(InputError);
      expect(() => parseBytes(text, at)).toThrow(
        `pod shop/web-1: spec.containers[web].resources.requests.memory: ${JSON.stringify(text)} is not a Kubernetes quantity`,
      );
    },
  );

  it("refuses non-strings rather than reading them as zero", () => {
    expect(() => parseCores(undefined, at)).toThrow(InputError);
    expect(() => parseCores(null, at)).toThrow(InputError);
    expect(() => parseCores({}, at)).toThrow(InputError);
  });

  it("accepts a JSON number, as YAML manifests sometimes carry one", () => {
    expect(parseCores(2, at)).toBe(2);
  });

  // A reference of the grammar: build the text from its parts and compute its exact value as a
  // fraction independently, then compare with the parser's rounded results.
  const decimalSuffixes: Array<[string, bigint, bigint]> = [
    ["n", 1n, 1_000_000_000n],
    ["u", 1n, 1_000_000n],
    ["m", 1n, 1000n],
    ["", 1n, 1n],
    ["k", 1000n, 1n],
    ["M", 1_000_000n, 1n],
    ["G", 1_000_000_000n, 1n],
    ["T", 10n ** 12n, 1n],
    ["P", 10n ** 15n, 1n],
    ["E", 10n ** 18n, 1n],
    ["Ki", 1024n, 1n],
    ["Mi", 1024n ** 2n, 1n],
    ["Gi", 1024n ** 3n, 1n],
    ["Ti", 1024n ** 4n, 1n],
    ["Pi", 1024n ** 5n, 1n],
    ["Ei", 1024n ** 6n, 1n],
  ];
  const quantity = fc.record({
    sign: fc.constantFrom("", "+", "-"),
    whole: fc.stringMatching(/^\d{0,12}$/),
    fraction: fc.option(fc.stringMatching(/^\d{0,6}$/), { nil: undefined }),
    suffix: fc.oneof(
      fc.constantFrom(...decimalSuffixes).map(([s, n, d]) => ({ text: s, num: n, den: d })),
      fc.integer({ min: -12, max: 12 }).map((e) => ({
        text: `e${e}`,
        num: e >= 0 ? 10n ** BigInt(e) : 1n,
        den: e < 0 ? 10n ** BigInt(-e) : 1n,
      })),
    ),
  });

  const ceilDiv = (n: bigint, d: bigint): bigint => (n >= 0n ? (n + d - 1n) / d : -(-n / d));

  it("agrees with an independent reference of the grammar on generated quantities", () => {
    fc.assert(
      fc.property(quantity, ({ sign, whole, fraction, suffix }) => {
        const text = `${sign}${whole}${fraction === undefined ? "" : `.${fraction}`}${suffix.text}`;
        const hasDigits = whole.length > 0 || (fraction?.length ?? 0) > 0;
        if (!hasDigits) {
          expect(() => parseBytes(text, at)).toThrow(InputError);
          return;
        }
        const frac = fraction ?? "";
        const mantissa = BigInt(`${whole}${frac}` || "0") * (sign === "-" ? -1n : 1n);
        const num = mantissa * suffix.num;
        const den = 10n ** BigInt(frac.length) * suffix.den;
        expect(parseBytes(text, at)).toBe(ceilDiv(num, den));
        expect(parseMillicores(text, at)).toBe(ceilDiv(num * 1000n, den));
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips whole byte counts written with binary suffixes", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 40n }),
        fc.constantFrom(["Ki", 10n], ["Mi", 20n], ["Gi", 30n]),
        (n, [s, p]) => {
          expect(parseBytes(`${n}${s}`, at)).toBe(n * 2n ** p);
        },
      ),
    );
  });

  it("refuses any text with characters outside the grammar", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 8 }), (junk) => {
        fc.pre(/[^0-9.+\-eEnumkKMGTPi]/.test(junk));
        expect(() => parseBytes(`1${junk}`, at)).toThrow(InputError);
      }),
    );
  });
});
