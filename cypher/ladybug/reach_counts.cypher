// How many assets are downstream (upstream) of this asset at each distance (fewest hops), and how many of those
// the caller may see? One breadth-first search over the FEEDS edges lineage follows, up to `maxDepth` hops,
// never path enumeration. `types` / `namespace` restrict what is counted unless `allTypes` / `anyNamespace`.
// :variant reach_counts_downstream direction=downstream edges=current
// :variant reach_counts_downstream_window direction=downstream edges=window
// :variant reach_counts_upstream direction=upstream edges=current
// :variant reach_counts_upstream_window direction=upstream edges=window
// :param key string
// :param after string when edges=window
// :literal allNamespaces flag
// :literal allTypes flag
// :literal anyNamespace flag
// :param before string when edges=window
// :literal history flag when edges=current
// :literal maxDepth 1..100
// :param namespace string
// :param namespaces list<string>
// :param types list<string>
MATCH {{reach(s:Asset {key: $key}, r, t)}}
WHERE {{listed(t)}}
RETURN length(r) AS distance, count(t) AS reached, sum(CASE WHEN {{visible(t)}} THEN 1 ELSE 0 END) AS visibleCount
ORDER BY distance
