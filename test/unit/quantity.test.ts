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

  it.each(["", "1.2.3", "1Gb", "one", "1 Gi", "1e", "1e3.5", "1KiB", "--1", "1ee3", "1x", "Pi", "e-10"])(
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
    expect(() => parseCores({}, at)).toThrow(`${at.object}: ${at.field}: {} is not a Kubernetes quantity`);
    expect(() => parseCores(null, at)).toThrow(
      `${at.object}: ${at.field}: null is not a Kubernetes quantity`,
    );
    expect(() => parseCores(1n, at)).toThrow(`${at.object}: ${at.field}: 1 is not a Kubernetes quantity`);
  });

  it("accepts a JSON number, as YAML manifests sometimes carry one", () => {
    expect(parseCores(2, at)).toBe(2);
  });

  it("round-trips whole byte counts written with binary suffixes", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 32n }),
        fc.constantFrom(["Ki", 10n], ["Mi", 20n], ["Gi", 30n]),
        (n, [s, p]) => {
          expect(parseBytes(`${n}${s}`, at)).toBe(n * 2n ** p);
        },
      ),
    );
  });

  // apimachinery's own table (quantity_test.go TestQuantityParse), read through Value() and MilliValue().
  it.each([
    ["3.001n", 1n, 1n],
    ["1.1E-9", 1n, 1n],
    ["0.00000012345", 1n, 1n],
    ["100.035Ki", 102436n, 102435840n],
    ["0.5Mi", 524288n, 524288000n],
    ["0.05Gi", 53687092n, 53687091200n],
    ["0.025Ti", 27487790695n, 27487790694400n],
    ["0.000000000001Ki", 1n, 1n],
    [".0001k", 1n, 100n],
    ["1.G", 1000000000n, 1000000000000n],
    ["1.3E+6", 1300000n, 1300000000n],
    ["9E", 9000000000000000000n, null],
    ["7.123456M", 7123456n, 7123456000n],
  ])("reads %s as apimachinery does: %d bytes, %s millicores", (text, bytes, millicores) => {
    expect(parseBytes(text, at)).toBe(bytes);
    if (millicores === null) expect(() => parseMillicores(text, at)).toThrow(QuantityError);
    else expect(parseMillicores(text, at)).toBe(millicores);
  });

  it.each(["1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 "])(
    "ParseQuantity refuses %j, as apimachinery's tests require",
    (text) => {
      expect(parseExact(text)).toBeNull();
    },
  );

  it.each([
    ["-", 0n],
    ["+", 0n],
    [".", 0n],
    ["Mi", 0n],
    ["Ti", 0n],
    ["k", 0n],
    ["E", 0n],
    ["e5", 0n],
    ["-.e-9", 0n],
  ])("reads %j, a number without digits, as 0 where apimachinery's int64 path does", (text, bytes) => {
    expect(parseBytes(text, at)).toBe(bytes);
  });

  it.each(["Pi", "Ei", ".Ei", "e-10", "-.n5"])(
    "refuses %j, a number without digits that apimachinery refuses",
    (text) => {
      expect(parseExact(text)).toBeNull();
    },
  );

  it("truncates the exponent to 32 bits and wraps the scale as apimachinery does", () => {
    expect(parseBytes("1e4294967296", at)).toBe(1n); // int32(2^32) = 0
    expect(parseBytes("1e4294967299", at)).toBe(1000n);
    expect(parseBytes("1e2147483649", at)).toBe(1n); // int32(2^31 + 1) = -2^31 + 1: a tiny number
    // The scale -2^31 - 1 wraps to 2^31 - 1, and -2^31 negates to itself: huge numbers, not tiny.
    expect(() => parseBytes("1.5e-2147483648", at)).toThrow(/beyond what a Kubernetes quantity can hold/);
    expect(() => parseBytes("1e2147483648", at)).toThrow(/beyond what a Kubernetes quantity can hold/);
    expect(parseExact("1e9223372036854775807")).not.toBeNull();
    expect(parseExact("1e9223372036854775808")).toBeNull(); // beyond int64: strconv.ParseInt fails
  });

  it("trims Go's whitespace around a JSON value, as Quantity.UnmarshalJSON does, and nothing else", () => {
    expect(parseBytes(" 1Gi\n", at)).toBe(1073741824n);
    expect(parseBytes("\u00a0512Mi\u0085", at)).toBe(536870912n);
    expect(() => parseBytes("\ufeff1Gi", at)).toThrow(QuantityError); // not a space to Go
    expect(() => parseBytes("1 Gi", at)).toThrow(QuantityError);
  });

  it.each([`${"9".repeat(30)}Ei`, "713e997", "1e400", "9Ei", "8Ei", "12E", "9223372036854775808", "1e19"])(
    "refuses %s, beyond an int64, with the documented error instead of Infinity, a cap or a crash",
    (text) => {
      expect(() => parseBytes(text, at)).toThrow(QuantityError);
      expect(() => parseBytes(text, at)).toThrow(
        `${at.object}: ${at.field}: ${JSON.stringify(text)} is beyond what a Kubernetes quantity can hold`,
      );
      expect(() => parseCores(text, at)).toThrow(QuantityError);
    },
  );

  it("keeps the largest int64 byte count, and refuses one byte more", () => {
    expect(parseBytes("9223372036854775807", at)).toBe(2n ** 63n - 1n);
    expect(parseBytes("7Ei", at)).toBe(7n * 2n ** 60n);
    expect(() => parseBytes("9223372036854775807.1", at)).toThrow(QuantityError);
    expect(parseMillicores("9223372036854775.807", at)).toBe(2n ** 63n - 1n);
    expect(() => parseMillicores("9223372036854775.8071", at)).toThrow(QuantityError);
  });

  it("says which rule a refused quantity broke", () => {
    const rule = (text: string) => {
      try {
        parseBytes(text, at);
      } catch (error) {
        return error instanceof QuantityError ? error.rule : "other";
      }
      return "none";
    };
    expect(rule("1Gb")).toBe("kubernetes-quantity");
    expect(rule("1e400")).toBe("int64");
    expect(rule("1Gi")).toBe("none");
  });

  it.each([
    ["-1", -1n, -1000n],
    ["-8Gi", -8589934592n, -8589934592000n],
    ["-0.5", -1n, -500n],
    ["-100m", -1n, -100n],
    ["-1.5n", -1n, -1n],
    ["-0", 0n, 0n],
  ])(
    "keeps the sign of %s, its magnitude rounded up, so that a negative never reads as 0",
    (text, bytes, millis) => {
      expect(parseBytes(text, at)).toBe(bytes);
      expect(parseMillicores(text, at)).toBe(millis);
    },
  );

  it("reads 100,000-character quantities in linear time and names them briefly in its error", () => {
    const long = `1${"0".repeat(100_000)}`;
    const started = performance.now();
    expect(parseBytes(`${long}e-100000`, at)).toBe(1n);
    expect(() => parseBytes(long, at)).toThrow(/beyond what a Kubernetes quantity can hold/);
    expect(() => parseBytes(`${long}x`, at)).toThrow(/\(100002 characters\) is not a Kubernetes quantity/);
    expect(() => parseBytes(`1${" ".repeat(100_000)}x`, at)).toThrow(QuantityError);
    expect(parseBytes(`${" ".repeat(100_000)}1${" ".repeat(100_000)}`, at)).toBe(1n);
    try {
      parseBytes(`${long}x`, at);
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(250);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("refuses NaN and Infinity given as JSON numbers", () => {
    expect(() => parseCores(Number.NaN, at)).toThrow(QuantityError);
    expect(() => parseCores(Number.POSITIVE_INFINITY, at)).toThrow(QuantityError);
    expect(parseCores(1e-7, at)).toBe(0.001); // String(1e-7) is "1e-7"
  });
});
