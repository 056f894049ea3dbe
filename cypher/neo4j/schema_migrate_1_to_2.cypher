// v1 -> v2: OpenLineage runs (LineageRun) and columns (Column) are unique by key.
CREATE CONSTRAINT lineage_run_key IF NOT EXISTS FOR (r:LineageRun) REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT column_key IF NOT EXISTS FOR (c:AssetColumn) REQUIRE c.key IS UNIQUE;
CREATE INDEX derives_execution IF NOT EXISTS FOR ()-[d:DERIVES]-() ON (d.executionKey);
