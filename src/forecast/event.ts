/**
 * The event a forecast is for: the one named in the config's `events:`, with `--uplift`,
 * `--start` and `--end` from the command line winning over it. An unknown name lists the events
 * the config defines.
 */
import { UsageError } from "../core/errors.js";
import { type EventConfig, zonedMs, zonedTime } from "./settings.js";
import type { EventSpec } from "./uplift.js";

export interface EventFlags {
  uplift?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
}

function time(flag: string, text: string): number {
  const parsed = zonedTime.safeParse(text);
  if (!parsed.success)
    throw new UsageError(
      `${flag} "${text}": ${parsed.error.issues[0]?.message ?? "not a time"}`,
      "a time without a zone is refused: write Z or ±hh:mm",
    );
  return zonedMs(text);
}

export function resolveEvent(
  events: Readonly<Record<string, EventConfig>>,
  name: string,
  flags: EventFlags = {},
): EventSpec {
  if (!Object.hasOwn(events, name)) {
    const known = Object.keys(events);
    throw new UsageError(
      `no event named ${name} in the configuration`,
      known.length
        ? `events defined: ${known.join(", ")}`
        : "define it under `events:` (see capacity.example.yaml)",
    );
  }
  const e = events[name]!;
  const startMs = flags.start === undefined ? zonedMs(e.start) : time("--start", flags.start);
  const endMs = flags.end === undefined ? zonedMs(e.end) : time("--end", flags.end);
  if (!(startMs < endMs))
    throw new UsageError(
      `event ${name}: the window's start must be before its end`,
      "check --start and --end",
    );
  let uplift = e.uplift;
  if (flags.uplift !== undefined) {
    uplift = Number(flags.uplift);
    if (!(Number.isFinite(uplift) && uplift > 0 && uplift <= 1000))
      throw new UsageError(
        `--uplift "${flags.uplift}" is not a factor above 0`,
        "e.g. --uplift 3 for three times normal demand",
      );
  }
  const window = (w: { start: string; end: string }) => ({
    startMs: zonedMs(w.start),
    endMs: zonedMs(w.end),
  });
  return {
    name,
    window: { startMs, endMs },
    ...(uplift === undefined ? {} : { uplift }),
    // A given --uplift is the event's figure: it wins over a measured one.
    ...(e.pastEvent && flags.uplift === undefined ? { pastEvent: window(e.pastEvent) } : {}),
    earlierEvents: [
      ...(e.pastEvent && flags.uplift !== undefined ? [e.pastEvent] : []),
      ...e.earlierEvents,
    ].map(window),
    growth: e.growth,
    overrides: { namespaces: e.overrides.namespaces, workloads: e.overrides.workloads },
  };
}
