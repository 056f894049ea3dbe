// Record which output column derives from which input column, for the task runs of a batch (`runs`: maps of the
// run's own edge properties `executionKey`, `taskId`, `value`, `date`, and its `edges`: maps of `sourceKey`,
// `targetKey`, `transformations`, the TYPE/SUBTYPE list comma-separated, and `current`, whether the run holds the
// target's asset as an output of its task slot). One statement for the batch: one per run was a round trip per
// run on Neo4j, and LadybugDB measured this nested form faster than both that and flat rows (README, Writes).
// :param runs list<map>
// :scan runs 16
UNWIND $runs AS r
UNWIND r.edges AS d
MATCH (s:AssetColumn {key: d.sourceKey})
MATCH (t:AssetColumn {key: d.targetKey})
CREATE (s)-[:DERIVES {executionKey: r.executionKey, taskId: r.taskId, value: r.value, date: r.date,
                      current: d.current, transformations: d.transformations}]->(t)
