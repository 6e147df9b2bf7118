-- Reads every column of one table (named by the variable capacity_verify_table), so that DuckDB
-- checks the checksum of each of its blocks: run on open before a run is appended to the file.
SELECT bit_xor(hash(COLUMNS(*))) FROM query_table(getvariable('capacity_verify_table'))
