// Record which output column derives from which input column in one task run (`edges`: maps of `sourceKey`,
// `targetKey`, `transformations`, the TYPE/SUBTYPE list comma-separated, and `current`, whether the run holds the
// target's asset as an output of its task slot).
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
