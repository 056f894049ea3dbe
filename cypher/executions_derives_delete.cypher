// Before executions are recorded again: delete the column edges (DERIVES) each made into the assets it wrote.
// :param keys list<string>
UNWIND $keys AS k
MATCH (e:Execution {key: k})
MATCH (e)-[:{{wrotes()}}]->(:Asset)-[:HAS_COLUMN]->(:AssetColumn)<-[d:DERIVES]-(:AssetColumn)
WHERE d.executionKey = k
DELETE d
