-- Reads every column of one table (its name bound as $1), so that DuckDB checks the checksum of
-- each of its blocks: run on open before a run is appended to the file.
SELECT bit_xor(hash(COLUMNS(*))) FROM query_table($1::VARCHAR)
