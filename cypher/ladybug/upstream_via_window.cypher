// For some upstream assets of this asset (the visible ones on a page), one shortest route each, as
// parallel lists: the assets in between, and the task runs (execution, flow, task, value, date) on it.
// Same search as upstream_window.cypher, cut at the same distance. (Kept apart from the page: carrying paths
// through the page's sort costs LadybugDB more than a second, narrower search.)
// :param key string
// :param after string
// :param before string
// :literal maxDepth 1..100
// :param targets list<string>
MATCH (s:Asset {key: $key})<-[r:FEEDS* SHORTEST 1..{{maxDepth}} (f, n | WHERE f.date >= $after AND f.date < $before)]-(t:Asset)
WHERE t.key IN $targets
RETURN t.key AS key,
       properties(nodes(r), 'id') AS nodeIds, properties(nodes(r), 'namespace') AS nodeNamespaces,
       properties(rels(r), 'executionId') AS executionIds, properties(rels(r), 'namespace') AS namespaces,
       properties(rels(r), 'flowId') AS flowIds, properties(rels(r), 'taskId') AS taskIds,
       properties(rels(r), 'value') AS valuesOf, properties(rels(r), 'date') AS dates
