// Every asset downstream (upstream) of this asset, each once at its fewest hops, as the rows of a file: the search
// of reach_counts.cypher, each level keeping, beside each asset, the step that first reached it (`traces`).
// :variant reach_export_downstream direction=downstream edges=current
// :variant reach_export_downstream_window direction=downstream edges=window
// :variant reach_export_upstream direction=upstream edges=current
// :variant reach_export_upstream_window direction=upstream edges=window
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
WITH s, [s] AS frontier, [s] AS visited, [] AS levels, [] AS traces
// :repeat 100
{{next_level_traced(size(levels) < $maxDepth)}}
// :end
UNWIND range(1, size(levels)) AS distance
UNWIND range(0, size(levels[distance - 1]) - 1) AS i
WITH distance, levels[distance - 1][i] AS t, traces[distance - 1][i] AS step
// after an aggregation a row holds only its keys, not the search's lists (see reach_page.cypher)
WITH distance, t, step, count(*) AS rows
WITH distance, t, step.parent AS parent, step
{{export_rows(distance, t, parent, step)}}
