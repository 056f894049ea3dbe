// Record which output column derives from which input column in one task run (`edges`: maps of `sourceKey`,
// `targetKey`, `transformations`, the TYPE/SUBTYPE list comma-separated, and `current`, whether the run holds the
// target's asset as an output of its task slot). The run's own properties are parameters: taken from each row
// instead (one statement for a whole batch), the same CREATE cost LadybugDB far more on a grown store (README,
// Writes).
// :param edges list<map>
// :param executionKey string
// :param taskId string
// :param value string
// :param date string
UNWIND $edges AS d
MATCH (s:AssetColumn {key: d.sourceKey})
MATCH (t:AssetColumn {key: d.targetKey})
CREATE (s)-[:DERIVES {executionKey: $executionKey, taskId: $taskId, value: $value, date: $date, current: d.current,
                      transformations: d.transformations}]->(t)
