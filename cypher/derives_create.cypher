// Record which output column derives from which input column, for the task runs of a batch (`edges`: maps of
// `sourceKey`, `targetKey`, `transformations`, the TYPE/SUBTYPE list comma-separated, `current`, whether the run
// holds the target's asset as an output of its task slot, and the run's `executionKey`, `taskId`, `value`, `date`).
// :param edges list<map>
UNWIND $edges AS d
MATCH (s:AssetColumn {key: d.sourceKey})
MATCH (t:AssetColumn {key: d.targetKey})
CREATE (s)-[:DERIVES {executionKey: d.executionKey, taskId: d.taskId, value: d.value, date: d.date,
                      current: d.current, transformations: d.transformations}]->(t)
