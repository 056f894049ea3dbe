// Which assets are downstream (upstream) of this asset, each once at its fewest hops: one page, ordered by
// distance, visible before redacted, then id. Assets in namespaces the caller cannot see keep their place and
// distance, with every other field null. The search of reach_counts.cypher, stopped at `maxDepth`, the page's
// last distance (a hub's first page lies one hop away).
//
// `count(*)` (one per asset) is there for its side effect: after an aggregation a row holds only its keys. Without
// it every row sorted below still holds the search's lists, and Neo4j's memory tracker charges each row for them
// (gigabytes at a hub: docs/measurements.md).
// :variant reach_page_downstream direction=downstream edges=current
// :variant reach_page_downstream_window direction=downstream edges=window
// :variant reach_page_upstream direction=upstream edges=current
// :variant reach_page_upstream_window direction=upstream edges=window
// :param key string
// :param maxDepth integer
// :param after string when edges=window
// :param allNamespaces boolean
// :param allTypes boolean
// :param anyNamespace boolean
// :param before string when edges=window
// :param history boolean when edges=current
// :param limit integer
// :param namespace string
// :param namespaces list<string>
// :param skip integer
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
UNWIND levels[distance - 1] AS t
WITH distance, t, count(*) AS rows
WHERE {{listed(t)}}
RETURN distance, {{shown(t)}}
ORDER BY distance, visible DESC, t.id
{{page()}}
