// LadybugDB's own fragments (the shared ones are in cypher/fragments.cypher).

// The breadth-first search of a lineage answer: from `s` to every `t` within `maxDepth` hops over the FEEDS
// edges lineage follows, each `t` once at its fewest hops (`SHORTEST`: never path enumeration). LadybugDB
// wants the bound as a literal; a bound given as a parameter cannot prune the search.
// :fragment reach(s, r, t) when direction=downstream
// :literal maxDepth 1..100
(s)-[r:{{feeds()}}* SHORTEST 1..{{maxDepth}} (f, n | WHERE {{walks(f)}})]->(t:Asset)
// :fragment reach(s, r, t) when direction=upstream
// :literal maxDepth 1..100
(s)<-[r:{{feeds()}}* SHORTEST 1..{{maxDepth}} (f, n | WHERE {{walks(f)}})]-(t:Asset)

// The same search keeping, on each answer's path, the assets' keys and the edges' task-run fields alone: a path
// otherwise carries every property of every asset and edge on it, for every row (docs/measurements.md).
// :fragment reach_route(s, r, t) when direction=downstream
// :literal maxDepth 1..100
(s)-[r:{{feeds()}}* SHORTEST 1..{{maxDepth}} (f, n | WHERE {{walks(f)}} | {f.executionId, f.namespace, f.flowId, f.taskId}, {n.key})]->(t:Asset)
// :fragment reach_route(s, r, t) when direction=upstream
// :literal maxDepth 1..100
(s)<-[r:{{feeds()}}* SHORTEST 1..{{maxDepth}} (f, n | WHERE {{walks(f)}} | {f.executionId, f.namespace, f.flowId, f.taskId}, {n.key})]-(t:Asset)

// The breadth-first search of a column answer: from column `s` over the DERIVES edges lineage follows.
// :fragment column_hops(s, r, t) when direction=downstream
(s)-[r:DERIVES* SHORTEST 1..{{maxDepth}} (d, n | WHERE {{walks(d)}})]->(t:AssetColumn)
// :fragment column_hops(s, r, t) when direction=upstream
(s)<-[r:DERIVES* SHORTEST 1..{{maxDepth}} (d, n | WHERE {{walks(d)}})]-(t:AssetColumn)
