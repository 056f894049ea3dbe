// What a change to this asset reaches downstream (upstream), counted rather than listed: the search of
// reach_counts.cypher, its assets grouped by distance, visibility, deleted, namespace, type and the chosen
// metadata pairs, so that an impact summary costs one search and a few hundred rows, not one row per asset.
// :variant reach_summary_downstream direction=downstream edges=current
// :variant reach_summary_downstream_window direction=downstream edges=window
// :variant reach_summary_upstream direction=upstream edges=current
// :variant reach_summary_upstream_window direction=upstream edges=window
// :param key string
// :param maxDepth integer
// :param after string when edges=window
// :param allNamespaces boolean
// :param before string when edges=window
// :param history boolean when edges=current
// :param k1 string
// :param k2 string
// :param k3 string
// :param k4 string
// :param k5 string
// :param namespaces list<string>
CYPHER replan=skip
MATCH (s:Asset {key: $key})
WITH s, [s] AS frontier, [s] AS visited, [] AS levels
// :repeat 100
{{next_level(size(levels) < $maxDepth)}}
// :end
UNWIND range(1, size(levels)) AS distance
UNWIND levels[distance - 1] AS t
{{summary_groups(distance, t)}}
