// For some downstream assets of this asset, one shortest route each: the assets in between and the
// task runs (flow, task, execution, value) on it. Same search as impact_window.cypher.
// :param key string
// :param after string
// :param before string
// :literal maxDepth 1..100
// :param targets list<string>
MATCH (s:Asset {key: $key})-[r:FEEDS* SHORTEST 1..{{maxDepth}} (f, n | WHERE f.date >= $after AND f.date < $before)]->(t:Asset)
WHERE t.key IN $targets
RETURN t.key AS key,
       list_transform(nodes(r), x -> {id: x.id, namespace: x.namespace}) AS nodes,
       list_transform(rels(r), x -> {executionId: x.executionId, namespace: x.namespace, flowId: x.flowId,
                                     taskId: x.taskId, value: x.value, date: x.date}) AS hops
