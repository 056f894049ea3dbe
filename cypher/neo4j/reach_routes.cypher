// For some downstream (upstream) assets of this asset (the visible ones on a page), one shortest route each, as
// parallel lists: the assets in between, and the task runs (execution, flow, task, value, date) on it.
// Both ends are bound, so Neo4j searches each pair (StatefulShortestPath(Into)) instead of every asset
// reachable from the start. Measured below the worst hub (100K assets), 100 targets at distance 2 / 3 / 6:
// this form 53 / 122 / 460 ms; one target per row (UNWIND, or CALL per target) 270-316 ms at every distance;
// targets filtered after an unbound search 290-420 ms. A typical asset's page: 1.4-1.8 ms. (`WITH s` keeps
// the two MATCHes apart: the same plan without a cartesian-product warning.) The quantifier is the depth cap,
// and `maxDepth` a filter: a quantifier must be a literal, and a literal per depth was a plan per depth (the
// first use of each cost 30-75 ms); between bound ends the search stops at the shortest route anyway.
// :variant impact_via direction=down edges=current
// :variant impact_via_window direction=down edges=window
// :variant upstream_via direction=up edges=current
// :variant upstream_via_window direction=up edges=window
// :param key string
// :param history boolean when edges=current
// :param after string when edges=window
// :param before string when edges=window
// :param maxDepth integer
// :param targets list<string>
MATCH (s:Asset {key: $key})
WITH s
MATCH (t:Asset)
WHERE t.key IN $targets
MATCH p = ANY SHORTEST (s){{hops(f)}}(t)
WHERE length(p) <= $maxDepth
RETURN t.key AS key,
       [x IN nodes(p)[1..-1] | x.id] AS nodeIds, [x IN nodes(p)[1..-1] | x.namespace] AS nodeNamespaces,
       [x IN relationships(p) | x.executionId] AS executionIds, [x IN relationships(p) | x.namespace] AS namespaces,
       [x IN relationships(p) | x.flowId] AS flowIds, [x IN relationships(p) | x.taskId] AS taskIds,
       [x IN relationships(p) | x.value] AS valuesOf, [x IN relationships(p) | x.date] AS dates
