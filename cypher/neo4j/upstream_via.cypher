// For some upstream assets of this asset, one shortest route each: the assets in between and the
// task runs (flow, task, execution, value) on it. Same search as upstream.cypher.
// :param key string
// :literal history flag
// :literal maxDepth 1..100
// :param targets list<string>
MATCH (s:Asset {key: $key})
MATCH p = ANY SHORTEST (s)<-[f:FEEDS WHERE {{history}} OR f.current]-{1,{{maxDepth}}}(t:Asset)
WHERE t.key IN $targets
RETURN t.key AS key,
       [x IN nodes(p)[1..-1] | {id: x.id, namespace: x.namespace}] AS nodes,
       [x IN relationships(p) | {executionId: x.executionId, namespace: x.namespace, flowId: x.flowId,
                                 taskId: x.taskId, value: x.value, date: x.date}] AS hops
