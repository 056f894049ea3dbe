// Record which output column derives from which input column, for the task runs of a batch (`runs`: maps of the
// run's own edge properties `executionKey`, `taskId`, `value`, `date`, and its `edges`: maps of `sourceKey`,
// `targetKey`, `transformations` and `current`; see cypher/derives_create.cypher). The runs are scanned as a table
// whose `edges` column holds each run's edges (read_edges_create.cypher says why).
// :param runs list<map>
// :scan runs 16
LOAD FROM $runs
UNWIND edges AS d
MATCH (s:AssetColumn {key: d.sourceKey})
MATCH (t:AssetColumn {key: d.targetKey})
CREATE (s)-[:DERIVES {executionKey: executionKey, taskId: taskId, value: value, date: date,
                      current: d.current, transformations: d.transformations}]->(t)
