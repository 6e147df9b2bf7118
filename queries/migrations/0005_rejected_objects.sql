-- Objects a source delivered but the run left out because a value broke a rule (a quantity that
-- does not parse, a negative request, a timestamp outside the window, a usage cell that is not a
-- number). One row per rejected object and field: the run keeps everything else of the source,
-- and the report's coverage section lists these rows (issue: bad input never becomes a wrong number).
CREATE TABLE rejected_objects (
  run_id    VARCHAR NOT NULL,
  cluster   VARCHAR NOT NULL,
  source    VARCHAR NOT NULL,   -- kubernetes | prometheus | cost-explorer | pricing | spot-history
  location  VARCHAR NOT NULL,   -- where it came from: bundle file and line/item, or the live request
  object    VARCHAR NOT NULL,   -- what was left out: kind/namespace/name, or the row's key
  field     VARCHAR,            -- the offending field (JSON path or column), when one is to blame
  value     VARCHAR,            -- the offending value as text (cut to 200 characters)
  rule      VARCHAR NOT NULL,   -- the rule it broke: kubernetes-quantity, non-negative, max-cpu-cores, …
  message   VARCHAR NOT NULL    -- the whole explanation, with the fix where there is one
);
