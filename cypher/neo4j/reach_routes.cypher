// For some downstream (upstream) assets of this asset (the visible ones on a page), one shortest route each, as
// parallel lists: the assets in between, and the task runs (execution, flow, task, value, date) on it.
//
// The search of reach_page.cypher, cut at the page's last distance (`maxDepth`), then a walk back from each
// target: at distance k, any edge from an asset at distance k - 1 (levels[k - 2], or the start) is a step of
// a shortest route: about ten times faster than ANY SHORTEST per pair or one unbound search filtered after
// (docs/measurements.md: reach_routes). Both loops are unrolled `maxDepth` times, a text per depth, each planned
// once by the server: a hundred levels of both take long to plan, and pages mostly lie a few hops out.
// :variant reach_routes_downstream direction=downstream edges=current
// :variant reach_routes_downstream_window direction=downstream edges=window
// :variant reach_routes_upstream direction=upstream edges=current
// :variant reach_routes_upstream_window direction=upstream edges=window
// :param key string
// :literal maxDepth 1..100
// :param targets list<string>
// :param after string when edges=window
// :param before string when edges=window
// :param history boolean when edges=current
// A search's text takes Neo4j seconds to plan; the server plans it at start (app/asgi.py: plan) and keeps that
// plan when the graph's statistics move (a fresh database's first writes would make it plan again).
CYPHER replan=skip
MATCH (s:Asset {key: $key})
WITH s, [s] AS frontier, [s] AS visited, [] AS levels
// :repeat {{maxDepth}}
{{next_level(true)}}
// :end
WITH s, levels
UNWIND $targets AS target
MATCH (t:Asset {key: target})
WITH s, levels, t, head([i IN range(1, size(levels)) WHERE t IN levels[i - 1]]) AS distance
WHERE distance IS NOT NULL
WITH s, levels, t, distance, [t] AS route, [] AS steps
// :repeat {{maxDepth}}
{{step_back()}}
// :end
RETURN t.key AS key,
       [x IN route[1..-1] | x.id] AS nodeIds, [x IN route[1..-1] | x.namespace] AS nodeNamespaces,
       [x IN steps | x.executionId] AS executionIds, [x IN steps | x.namespace] AS namespaces,
       [x IN steps | x.flowId] AS flowIds, [x IN steps | x.taskId] AS taskIds,
       [x IN steps | x.value] AS valuesOf, [x IN steps | x.date] AS dates
