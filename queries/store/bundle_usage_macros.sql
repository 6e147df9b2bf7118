-- How a bundle's usage_hourly.csv[.gz] is read and checked (docs/bundle.md), as macros the two
-- statements beside this file use: load_bundle_usage.sql inserts the sound rows and
-- reject_bundle_usage.sql lists the others in rejected_objects, one row per broken cell.
-- DuckDB reads the file itself (gzip included), as a stream: nothing of it is held whole. Every
-- cell is read as text and checked here, so that a bad cell costs its row, never the file.

-- A name that must be there, or null.
CREATE OR REPLACE TEMP MACRO usage_name_problem(field_name, raw) AS
  CASE WHEN raw IS NULL OR raw = '' THEN {
    'field': field_name, 'value': NULL::VARCHAR, 'rule': 'required', 'message': field_name || ' is empty'
  } END;

-- A problem with one number's cell, or null: `whole` for counts and byte figures.
CREATE OR REPLACE TEMP MACRO usage_cell_problem(field_name, raw, required, whole) AS
  CASE
    WHEN raw IS NULL OR raw = '' THEN
      CASE WHEN required THEN {
        'field': field_name, 'value': NULL::VARCHAR, 'rule': 'required',
        'message': field_name || ' is empty'
      } END
    WHEN NOT coalesce(isfinite(try_cast(raw AS DOUBLE)), false) THEN {
      'field': field_name, 'value': left(raw, 200), 'rule': 'number',
      'message': field_name || ': "' || left(raw, 200) || '" is not a number'
    }
    WHEN try_cast(raw AS DOUBLE) < 0 THEN {
      'field': field_name, 'value': left(raw, 200), 'rule': 'non-negative',
      'message': field_name || ': ' || raw || ' is negative; usage, requests and counts are never below 0'
    }
    WHEN whole AND try_cast(raw AS DOUBLE) <> floor(try_cast(raw AS DOUBLE)) THEN {
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
  SELECT
    line,
    coalesce(namespace, '?') || '/' || coalesce(pod, '?') || '/' || coalesce(container, '?')
      || ' at ' || coalesce(hour, '?') AS object,
    try_cast(hour AS TIMESTAMPTZ)::TIMESTAMP AS hour,
    namespace, pod, container, nullif(node, '') AS node, workload_kind, workload_name,
    try_cast(cpu_avg_cores AS DOUBLE) AS cpu_avg_cores,
    try_cast(cpu_p95_cores AS DOUBLE) AS cpu_p95_cores,
    try_cast(cpu_max_cores AS DOUBLE) AS cpu_max_cores,
    try_cast(memory_avg_bytes AS DOUBLE) AS memory_avg_bytes,
    try_cast(try_cast(memory_max_bytes AS DOUBLE) AS BIGINT) AS memory_max_bytes,
    try_cast(cpu_request_cores AS DOUBLE) AS cpu_request_cores,
    try_cast(try_cast(memory_request_bytes AS DOUBLE) AS BIGINT) AS memory_request_bytes,
    try_cast(cpu_throttled_ratio AS DOUBLE) AS cpu_throttled_ratio,
    try_cast(try_cast(oom_kills AS DOUBLE) AS INTEGER) AS oom_kills,
    try_cast(try_cast(restarts AS DOUBLE) AS INTEGER) AS restarts,
    try_cast(try_cast(samples AS DOUBLE) AS INTEGER) AS samples,
    list_filter([
      CASE WHEN extra_cells IS NOT NULL THEN {
        'field': NULL::VARCHAR, 'value': left(extra_cells, 200), 'rule': 'columns',
        'message': 'the row has more cells than the file has columns'
      } END,
      CASE
        WHEN hour IS NULL OR hour = '' THEN {
          'field': 'hour', 'value': NULL::VARCHAR, 'rule': 'required', 'message': 'hour is empty'
        }
        WHEN try_cast(hour AS TIMESTAMPTZ) IS NULL THEN {
          'field': 'hour', 'value': left(hour, 200), 'rule': 'timestamp',
          'message': 'hour: "' || left(hour, 200) || '" is not an ISO 8601 time'
        }
        WHEN try_cast(hour AS TIMESTAMPTZ)::TIMESTAMP NOT BETWEEN window_start AND window_end - INTERVAL 1 HOUR THEN {
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
      usage_cell_problem('cpu_avg_cores', cpu_avg_cores, false, false),
      usage_cell_problem('cpu_p95_cores', cpu_p95_cores, false, false),
      usage_cell_problem('cpu_max_cores', cpu_max_cores, false, false),
      usage_cell_problem('memory_avg_bytes', memory_avg_bytes, false, false),
      usage_cell_problem('memory_max_bytes', memory_max_bytes, false, true),
      usage_cell_problem('cpu_request_cores', cpu_request_cores, false, false),
      usage_cell_problem('memory_request_bytes', memory_request_bytes, false, true),
      usage_cell_problem('cpu_throttled_ratio', cpu_throttled_ratio, false, false),
      usage_cell_problem('oom_kills', oom_kills, true, true),
      usage_cell_problem('restarts', restarts, true, true),
      usage_cell_problem('samples', samples, true, true)
    ], p -> p IS NOT NULL) AS problems
  FROM bundle_usage_lines(file);
