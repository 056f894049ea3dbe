// Every asset downstream (upstream) of this asset, each once at its fewest hops, as the rows of a file: the search
// of reach_counts.cypher, each asset with the last step of its shortest path, which LadybugDB then keeps for every
// row of the answer (with only the properties the rows use): looking the steps up afterwards holds less and takes
// ten times as long (docs/measurements.md). (nodes(r) holds the assets in
// between, rels(r) the edges; lists are 1-based, and the start is put first so that `way[distance]` is the parent
// at every distance: LadybugDB evaluates both branches of a CASE, and an index of 0 fails).
// :variant reach_export_downstream direction=downstream edges=current
// :variant reach_export_downstream_window direction=downstream edges=window
// :variant reach_export_upstream direction=upstream edges=current
// :variant reach_export_upstream_window direction=upstream edges=window
// :param key string
// :param after string when edges=window
// :literal allNamespaces flag
// :param before string when edges=window
// :literal history flag when edges=current
// :param k1 string
// :param k2 string
// :param k3 string
// :param k4 string
// :param k5 string
// :literal maxDepth 1..100
// :param namespaces list<string>
MATCH {{reach_route(s:Asset {key: $key}, r, t)}}
WITH length(r) AS distance, t, list_concat([$key], properties(nodes(r), 'key')) AS way, rels(r) AS steps
WITH distance, t, way[distance] AS parent, steps[distance] AS step
{{export_rows(distance, t, parent, step)}}
