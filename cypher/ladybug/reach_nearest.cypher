// The downstream (upstream) assets of this asset, nearest first, up to a node cap (to draw a lineage subgraph).
// :variant reach_nearest_downstream direction=downstream edges=current
// :variant reach_nearest_downstream_window direction=downstream edges=window
// :variant reach_nearest_upstream direction=upstream edges=current
// :variant reach_nearest_upstream_window direction=upstream edges=window
// :param key string
// :param after string when edges=window
// :literal allNamespaces flag
// :param before string when edges=window
// :literal history flag when edges=current
// :literal limit 1..100000
// :literal maxDepth 1..100
// :param namespaces list<string>
MATCH {{reach(s:Asset {key: $key}, r, t)}}
RETURN t.key AS key, length(r) AS distance, {{shown(t)}}
ORDER BY distance, visible DESC, t.id
{{first()}}
