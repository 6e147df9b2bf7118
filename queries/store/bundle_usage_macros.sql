-- How a bundle's usage_hourly.csv[.gz] is read and checked (docs/bundle.md), as macros the
-- statements beside this file use. DuckDB reads the file itself (gzip included), as a stream:
-- nothing of it is held whole. load_bundle_usage.sql reads it typed and keeps the rows these
-- rules accept; when that is every row of the file (the usual case), that is all. Otherwise the
-- run's rows of the file are taken out again and the file is read once more cell by cell as
-- text (checked_bundle_usage): load_checked_bundle_usage.sql inserts the sound rows and
-- reject_bundle_usage.sql lists the others in rejected_objects, one row per broken cell, with
-- its line. A bad cell costs its row, never the file.

-- The rules, each once.
CREATE OR REPLACE TEMP MACRO usage_finite(x) AS coalesce(isfinite(x), false);
CREATE OR REPLACE TEMP MACRO usage_non_negative(x) AS x >= 0;
CREATE OR REPLACE TEMP MACRO usage_whole(x) AS x = floor(x);
CREATE OR REPLACE TEMP MACRO usage_in_window(ts, window_start, window_end) AS
  ts >= window_start AND ts < window_end;
-- A typed figure that may be missing (usage, requests, throttling).
CREATE OR REPLACE TEMP MACRO usage_figure_sound(x) AS
  x IS NULL OR (usage_finite(x) AND usage_non_negative(x));

-- A name that must be there, or null.
CREATE OR REPLACE TEMP MACRO usage_name_problem(field_name, raw) AS
  CASE WHEN raw IS NULL OR raw = '' THEN {
    'field': field_name, 'value': NULL::VARCHAR, 'rule': 'required', 'message': field_name || ' is empty'
  } END;

-- A problem with one number's cell (`raw` as read, `num` as cast to a DOUBLE), or null: `whole`
-- for counts and byte figures.
CREATE OR REPLACE TEMP MACRO usage_cell_problem(field_name, raw, num, required, whole) AS
  CASE
    WHEN raw IS NULL OR raw = '' THEN
      CASE WHEN required THEN {
        'field': field_name, 'value': NULL::VARCHAR, 'rule': 'required',
        'message': field_name || ' is empty'
      } END
    WHEN NOT usage_finite(num) THEN {
      'field': field_name, 'value': left(raw, 200), 'rule': 'number',
      'message': field_name || ': "' || left(raw, 200) || '" is not a number'
    }
    WHEN NOT usage_non_negative(num) THEN {
      'field': field_name, 'value': left(raw, 200), 'rule': 'non-negative',
      'message': field_name || ': ' || raw || ' is negative; usage, requests and counts are never below 0'
    }
    WHEN whole AND NOT usage_whole(num) THEN {
      'field': field_name, 'value': left(raw, 200), 'rule': 'whole-number',
      'message': field_name || ': ' || raw || ' is not a whole number'
    }
  END;

-- The file's rows, numbered by line (the header is line 1), every cell as text. A row with more
-- cells than columns keeps the rest in extra_cells; one with fewer has nulls.
CREATE OR REPLACE TEMP MACRO bundle_usage_lines(file) AS TABLE
  SELECT row_number() OVER () + 1 AS line, *
  FROM read_csv(file, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
    null_padding = true, strict_mode = false, columns = {
      'hour': 'VARCHAR', 'namespace': 'VARCHAR', 'pod': 'VARCHAR', 'container': 'VARCHAR',
      'node': 'VARCHAR', 'workload_kind': 'VARCHAR', 'workload_name': 'VARCHAR',
      'cpu_avg_cores': 'VARCHAR', 'cpu_p95_cores': 'VARCHAR', 'cpu_max_cores': 'VARCHAR',
      'memory_avg_bytes': 'VARCHAR', 'memory_max_bytes': 'VARCHAR', 'cpu_request_cores': 'VARCHAR',
      'memory_request_bytes': 'VARCHAR', 'cpu_throttled_ratio': 'VARCHAR', 'oom_kills': 'VARCHAR',
      'restarts': 'VARCHAR', 'samples': 'VARCHAR', 'extra_cells': 'VARCHAR'
    });

-- Each row with its problems (an empty list when it is sound): a cell that is required and
-- empty, not a number, negative or not whole where a count is due; an hour that is not a time
-- or falls outside the window [window_start, window_end); a row of too many cells.
CREATE OR REPLACE TEMP MACRO checked_bundle_usage(file, window_start, window_end) AS TABLE
  WITH typed AS (
    SELECT
      *,
      try_cast(hour AS TIMESTAMPTZ)::TIMESTAMP AS hour_ts,
      try_cast(cpu_avg_cores AS DOUBLE) AS cpu_avg_n,
      try_cast(cpu_p95_cores AS DOUBLE) AS cpu_p95_n,
      try_cast(cpu_max_cores AS DOUBLE) AS cpu_max_n,
      try_cast(memory_avg_bytes AS DOUBLE) AS memory_avg_n,
      try_cast(memory_max_bytes AS DOUBLE) AS memory_max_n,
      try_cast(cpu_request_cores AS DOUBLE) AS cpu_request_n,
      try_cast(memory_request_bytes AS DOUBLE) AS memory_request_n,
      try_cast(cpu_throttled_ratio AS DOUBLE) AS cpu_throttled_n,
      try_cast(oom_kills AS DOUBLE) AS oom_kills_n,
      try_cast(restarts AS DOUBLE) AS restarts_n,
      try_cast(samples AS DOUBLE) AS samples_n
    FROM bundle_usage_lines(file)
  )
  SELECT
    line,
    coalesce(namespace, '?') || '/' || coalesce(pod, '?') || '/' || coalesce(container, '?')
      || ' at ' || coalesce(hour, '?') AS object,
    hour_ts AS hour,
    namespace, pod, container, nullif(node, '') AS node, workload_kind, workload_name,
    cpu_avg_n AS cpu_avg_cores,
    cpu_p95_n AS cpu_p95_cores,
    cpu_max_n AS cpu_max_cores,
    memory_avg_n AS memory_avg_bytes,
    try_cast(memory_max_n AS BIGINT) AS memory_max_bytes,
    cpu_request_n AS cpu_request_cores,
    try_cast(memory_request_n AS BIGINT) AS memory_request_bytes,
    cpu_throttled_n AS cpu_throttled_ratio,
    try_cast(oom_kills_n AS INTEGER) AS oom_kills,
    try_cast(restarts_n AS INTEGER) AS restarts,
    try_cast(samples_n AS INTEGER) AS samples,
    list_filter([
      CASE WHEN extra_cells IS NOT NULL THEN {
        'field': NULL::VARCHAR, 'value': left(extra_cells, 200), 'rule': 'columns',
        'message': 'the row has more cells than the file has columns'
      } END,
      CASE
        WHEN hour IS NULL OR hour = '' THEN {
          'field': 'hour', 'value': NULL::VARCHAR, 'rule': 'required', 'message': 'hour is empty'
        }
        WHEN hour_ts IS NULL THEN {
          'field': 'hour', 'value': left(hour, 200), 'rule': 'timestamp',
          'message': 'hour: "' || left(hour, 200) || '" is not an ISO 8601 time'
        }
        WHEN NOT usage_in_window(hour_ts, window_start, window_end) THEN {
          'field': 'hour', 'value': hour, 'rule': 'window',
          'message': 'hour: ' || hour || ' is outside the bundle''s window ('
            || strftime(window_start, '%Y-%m-%dT%H:%M:%SZ') || ' to '
            || strftime(window_end, '%Y-%m-%dT%H:%M:%SZ') || ')'
        }
      END,
      usage_name_problem('namespace', namespace),
      usage_name_problem('pod', pod),
      usage_name_problem('container', container),
      usage_name_problem('workload_kind', workload_kind),
      usage_name_problem('workload_name', workload_name),
      usage_cell_problem('cpu_avg_cores', cpu_avg_cores, cpu_avg_n, false, false),
      usage_cell_problem('cpu_p95_cores', cpu_p95_cores, cpu_p95_n, false, false),
      usage_cell_problem('cpu_max_cores', cpu_max_cores, cpu_max_n, false, false),
      usage_cell_problem('memory_avg_bytes', memory_avg_bytes, memory_avg_n, false, false),
      usage_cell_problem('memory_max_bytes', memory_max_bytes, memory_max_n, false, true),
      usage_cell_problem('cpu_request_cores', cpu_request_cores, cpu_request_n, false, false),
      usage_cell_problem('memory_request_bytes', memory_request_bytes, memory_request_n, false, true),
      usage_cell_problem('cpu_throttled_ratio', cpu_throttled_ratio, cpu_throttled_n, false, false),
      usage_cell_problem('oom_kills', oom_kills, oom_kills_n, true, true),
      usage_cell_problem('restarts', restarts, restarts_n, true, true),
      usage_cell_problem('samples', samples, samples_n, true, true)
    ], p -> p IS NOT NULL) AS problems
  FROM typed;
