// How many assets are downstream (upstream) of this asset at each distance (fewest hops), and how many of those
// the caller may see? A breadth-first search over FEEDS edges, one level per CALL, up to `maxDepth` hops.
// `types` / `namespace` restrict what is counted unless `allTypes` / `anyNamespace`.
//
// Why a level-by-level frontier and not ANY SHORTEST to every reachable asset: ANY SHORTEST to every asset plans a
// StatefulShortestPath(All) that is two orders of magnitude slower below a hub; the variants of the frontier tried
// answer alike and no faster (docs/measurements.md: reach_counts). The text is planned once and cached by the server.
// :variant reach_counts_downstream direction=downstream edges=current
// :variant reach_counts_downstream_window direction=downstream edges=window
// :variant reach_counts_upstream direction=upstream edges=current
// :variant reach_counts_upstream_window direction=upstream edges=window
// :param key string
// :param maxDepth integer
// :param after string when edges=window
// :param allNamespaces boolean
// :param allTypes boolean
// :param anyNamespace boolean
// :param before string when edges=window
// :param history boolean when edges=current
// :param namespace string
// :param namespaces list<string>
// :param types list<string>
// A search's text takes Neo4j seconds to plan; the server plans it at start (app/asgi.py: plan) and keeps that
// plan when the graph's statistics move (a fresh database's first writes would make it plan again).
CYPHER replan=skip
MATCH (s:Asset {key: $key})
WITH s, [s] AS frontier, [s] AS visited, [] AS levels
// :repeat 100
{{next_level(size(levels) < $maxDepth)}}
// :end
UNWIND range(1, size(levels)) AS distance
WITH distance, levels[distance - 1] AS level
WITH distance, CASE WHEN {{flag(allTypes)}} AND {{flag(anyNamespace)}} THEN level ELSE [t IN level WHERE {{listed(t)}}] END AS listed
WHERE listed <> []
RETURN distance, size(listed) AS reached,
       CASE WHEN {{flag(allNamespaces)}} THEN size(listed) ELSE size([t IN listed WHERE {{visible(t)}}]) END AS visibleCount
ORDER BY distance
