// Which assets are downstream (upstream) of this asset, each once at its fewest hops: one page, ordered by
// distance, visible before redacted, then id. Assets in namespaces the caller cannot see keep their place and
// distance, with every other field null. The search of reach_counts.cypher; `maxDepth` only needs to reach the
// page's last distance.
// :variant reach_page_downstream direction=downstream edges=current
// :variant reach_page_downstream_window direction=downstream edges=window
// :variant reach_page_upstream direction=upstream edges=current
// :variant reach_page_upstream_window direction=upstream edges=window
// :param key string
// :param after string when edges=window
// :literal allNamespaces flag
// :literal allTypes flag
// :literal anyNamespace flag
// :param before string when edges=window
// :literal history flag when edges=current
// :literal limit 1..100000
// :literal maxDepth 1..100
// :param namespace string
// :param namespaces list<string>
// :literal skip 0..100000000
// :param types list<string>
MATCH {{reach(s:Asset {key: $key}, r, t)}}
WHERE {{listed(t)}}
RETURN length(r) AS distance, {{shown(t)}}
ORDER BY distance, visible DESC, t.id
{{page()}}
