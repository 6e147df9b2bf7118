#!/usr/bin/env node
/**
 * Keeps package-lock.json installable with `npm ci` when the registry a machine reaches does not
 * serve every platform's binary package (here: the darwin, win32, android and arm64 builds of
 * @biomejs/cli-* and @duckdb/node-bindings-*). npm then leaves those optional packages out of
 * the lockfile and `npm ci` refuses it as out of sync. This adds each missing optional platform
 * package as a lockfile entry with its os, cpu and libc, so npm skips it on other platforms
 * without fetching it, exactly as it does for a complete lockfile.
 *   node scripts/lockfile-platforms.mjs   (after any npm install that rewrites the lockfile)
 */
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;

function platformOf(name) {
  const os = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "sunos", "aix"].find((o) =>
    name.includes(o),
  );
  const cpu = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64"].find((c) =>
    new RegExp(`[-/]${c}(-|$)`).test(name),
  );
  if (!os || !cpu) return undefined;
  return {
    os: [os],
    cpu: [cpu],
    ...(os === "linux" ? { libc: [name.includes("musl") ? "musl" : "glibc"] } : {}),
  };
}

let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${dep}`;
    if (packages[target] || packages[`${key}/${target}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[target] = { version, license: entry.license, optional: true, ...platform };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`lockfile: added ${added} optional platform package(s)\n`);
