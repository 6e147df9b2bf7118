// Preloaded into a benchmarked process: reports its peak resident set size and the CPU time of
// all its threads (DuckDB's included) when it exits.
import { writeSync } from "node:fs";

process.on("exit", () => {
  const usage = process.resourceUsage();
  writeSync(
    2,
    `\nBENCH_MAX_RSS_KB=${usage.maxRSS}\nBENCH_CPU_US=${usage.userCPUTime + usage.systemCPUTime}\n`,
  );
});
