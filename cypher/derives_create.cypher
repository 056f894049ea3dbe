// Record which output column derives from which input column in one task run (`edges`: maps of `sourceKey`,
// `targetKey` and `transformations`, the TYPE/SUBTYPE list comma-separated).
// :param edges list<map>
// :param executionKey string
// :param taskId string
// :param value string
// :param date string
// :param current boolean
UNWIND $edges AS d
MATCH (s:AssetColumn {key: d.sourceKey})
MATCH (t:AssetColumn {key: d.targetKey})
CREATE (s)-[:DERIVES {executionKey: $executionKey, taskId: $taskId, value: $value, date: $date, current: $current,
                      transformations: d.transformations}]->(t)
