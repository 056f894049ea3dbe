// The downstream (upstream) assets of this asset, nearest first, up to a node cap (to draw a lineage subgraph).
// The search of reach_counts.cypher, stopped once `limit` assets are reached: a hub's drawing needs its
// nearest few hundred, not the whole search.
//
// `count(*)` (one per asset) is there for its side effect: after an aggregation a row holds only its keys. Without
// it every row sorted below still holds the search's lists, and Neo4j's memory tracker charges each row for them
// (gigabytes at a hub: docs/measurements.md).
// :variant reach_nearest_downstream direction=downstream edges=current
// :variant reach_nearest_downstream_window direction=downstream edges=window
// :variant reach_nearest_upstream direction=upstream edges=current
// :variant reach_nearest_upstream_window direction=upstream edges=window
// :param key string
// :param maxDepth integer
// :param after string when edges=window
// :param allNamespaces boolean
// :param before string when edges=window
// :param history boolean when edges=current
// :param limit integer
// :param namespaces list<string>
// A search's text takes Neo4j seconds to plan; the server plans it at start (app/asgi.py: plan) and keeps that
// plan when the graph's statistics move (a fresh database's first writes would make it plan again).
CYPHER replan=skip
MATCH (s:Asset {key: $key})
WITH s, [s] AS frontier, [s] AS visited, [] AS levels
// :repeat 100
{{next_level(size(levels) < $maxDepth AND size(visited) <= $limit)}}
// :end
UNWIND range(1, size(levels)) AS distance
UNWIND levels[distance - 1] AS t
WITH distance, t, count(*) AS rows
RETURN t.key AS key, distance, {{shown(t)}}
ORDER BY distance, visible DESC, t.id
{{first()}}
