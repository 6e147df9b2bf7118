-- Every run's marts are kept: each mart_* table has a run_id column, and the marts of run X are
-- its rows WHERE run_id = X (written by src/analyze/history.ts). A run was analyzed when it has
-- a row here, written in the same transaction as its marts.
CREATE TABLE analyses (
  run_id        VARCHAR PRIMARY KEY,
  analyzed_at   TIMESTAMP NOT NULL,
  tool_version  VARCHAR NOT NULL,
  marts         INTEGER NOT NULL           -- how many mart tables the analysis wrote
);
