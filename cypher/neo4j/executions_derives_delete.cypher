// Before executions are recorded again: delete the column edges (DERIVES) each made, found by its execution key
// through the derives_execution index (schema.cypher), as executions_feeds_delete.cypher finds its FEEDS edges.
// :param keys list<string>
UNWIND $keys AS k
MATCH (:AssetColumn)-[d:DERIVES {executionKey: k}]->(:AssetColumn)
USING INDEX d:DERIVES(executionKey)
DELETE d
