// Before an execution is recorded again: delete the column edges (DERIVES) it made into the assets it wrote.
// :param executionKey string
MATCH (e:Execution {key: $executionKey})-[:{{wrotes()}}]->(:Asset)-[:HAS_COLUMN]->(:AssetColumn)<-[d:DERIVES]-(:AssetColumn)
WHERE d.executionKey = $executionKey
DELETE d
