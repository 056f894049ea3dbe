// For some upstream assets of this asset (the visible ones on a page), one shortest route each, as
// parallel lists: the assets in between, and the task runs (execution, flow, task, value, date) on it.
// Same search as upstream_window.cypher, cut at the same distance. (Kept apart from the page: carrying paths
// through the page's sort costs LadybugDB more than a second, narrower search.)
// :param key string
// :param after string
// :param before string
// :literal maxDepth 1..100
// :param targets list<string>
MATCH (s:Asset {key: $key})
MATCH p = ANY SHORTEST (s)<-[f:FEEDS WHERE f.date >= $after AND f.date < $before]-{1,{{maxDepth}}}(t:Asset)
WHERE t.key IN $targets
RETURN t.key AS key,
       [x IN nodes(p)[1..-1] | x.id] AS nodeIds, [x IN nodes(p)[1..-1] | x.namespace] AS nodeNamespaces,
       [x IN relationships(p) | x.executionId] AS executionIds, [x IN relationships(p) | x.namespace] AS namespaces,
       [x IN relationships(p) | x.flowId] AS flowIds, [x IN relationships(p) | x.taskId] AS taskIds,
       [x IN relationships(p) | x.value] AS valuesOf, [x IN relationships(p) | x.date] AS dates
