// For some upstream assets of this asset, one shortest route each: the assets in between and the
// task runs (flow, task, execution, value) on it. Same search as upstream.cypher.
// :param key string
// :literal history flag
// :literal maxDepth 1..100
// :param targets list<string>
MATCH (s:Asset {key: $key})<-[r:FEEDS* SHORTEST 1..{{maxDepth}} (f, n | WHERE {{history}} OR f.current)]-(t:Asset)
WHERE t.key IN $targets
RETURN t.key AS key,
       list_transform(nodes(r), x -> {id: x.id, namespace: x.namespace}) AS nodes,
       list_transform(rels(r), x -> {executionId: x.executionId, namespace: x.namespace, flowId: x.flowId,
                                     taskId: x.taskId, value: x.value, date: x.date}) AS hops
