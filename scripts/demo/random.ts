/** A small seeded PRNG (mulberry32) so the demo bundle is the same on every machine. */
export interface Random {
  next(): number;
  between(min: number, max: number): number;
  int(min: number, max: number): number;
  normal(): number;
  pick<T>(items: readonly T[]): T;
  hex(length: number): string;
  alnum(length: number): string;
}

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const chars = "bcdfghjklmnpqrstvwxz2456789";
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    hex: (length) => Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join(""),
    alnum: (length) => Array.from({ length }, () => chars[Math.floor(next() * chars.length)]).join(""),
  };
}
