// For some downstream (upstream) assets of this asset (the visible ones on a page), one shortest route each, as
// parallel lists: the assets in between, and the task runs (execution, flow, task, value, date) on it. The
// search of reach_page.cypher, cut at the same distance. (Kept apart from the page: carrying paths through the
// page's sort costs LadybugDB more than a second, narrower search.)
// :variant reach_routes_downstream direction=downstream edges=current
// :variant reach_routes_downstream_window direction=downstream edges=window
// :variant reach_routes_upstream direction=upstream edges=current
// :variant reach_routes_upstream_window direction=upstream edges=window
// :param key string
// :param targets list<string>
// :param after string when edges=window
// :param before string when edges=window
// :literal history flag when edges=current
// :literal maxDepth 1..100
MATCH {{reach(s:Asset {key: $key}, r, t)}}
WHERE t.key IN $targets
RETURN t.key AS key,
       properties(nodes(r), 'id') AS nodeIds, properties(nodes(r), 'namespace') AS nodeNamespaces,
       properties(rels(r), 'executionId') AS executionIds, properties(rels(r), 'namespace') AS namespaces,
       properties(rels(r), 'flowId') AS flowIds, properties(rels(r), 'taskId') AS taskIds,
       properties(rels(r), 'value') AS valuesOf, properties(rels(r), 'date') AS dates
