/**
 * Kubernetes quantities and the paste-able `resources:` block of a right-sizing row. Pure
 * functions: values come rounded from SQL (CPU to 5 millicores, memory to MiB) and are written
 * the way engineers write them (`250m`, `2`, `883Mi`, `8Gi`).
 */

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** Cores as a CPU quantity: whole cores as a plain number, anything else in millicores. */
export function cpuQuantity(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes as a memory quantity: Gi when whole, else Mi (rounded up: never less than asked). */
export function memoryQuantity(bytes: number): string {
  if (bytes % GIB === 0) return `${bytes / GIB}Gi`;
  return `${Math.ceil(bytes / MIB)}Mi`;
}

export interface Resources {
  cpuRequestCores: number | null;
  cpuLimitCores: number | null;
  memoryRequestBytes: number | null;
  memoryLimitBytes: number | null;
}

/** The container's `resources:` block as YAML lines, ready to paste under the container. */
export function resourcesLines(r: Resources): string[] {
  const requests: string[] = [];
  const limits: string[] = [];
  if (r.cpuRequestCores !== null) requests.push(`    cpu: ${cpuQuantity(r.cpuRequestCores)}`);
  if (r.memoryRequestBytes !== null) requests.push(`    memory: ${memoryQuantity(r.memoryRequestBytes)}`);
  if (r.cpuLimitCores !== null) limits.push(`    cpu: ${cpuQuantity(r.cpuLimitCores)}`);
  if (r.memoryLimitBytes !== null) limits.push(`    memory: ${memoryQuantity(r.memoryLimitBytes)}`);
  return [
    "resources:",
    ...(requests.length ? ["  requests:", ...requests] : []),
    ...(limits.length ? ["  limits:", ...limits] : []),
  ];
}

/** The requests in one line, as a top action says them: `cpu 800m, memory 3662Mi`. */
export function requestsText(r: Resources): string {
  return [
    r.cpuRequestCores === null ? "" : `cpu ${cpuQuantity(r.cpuRequestCores)}`,
    r.memoryRequestBytes === null ? "" : `memory ${memoryQuantity(r.memoryRequestBytes)}`,
  ]
    .filter(Boolean)
    .join(", ");
}
