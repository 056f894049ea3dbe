// Which columns derive from this column (downstream) or does it derive from (upstream), each once at its fewest
// hops (ANY SHORTEST: a breadth-first search, never path enumeration), with the columns in between (`via`) and
// the transformations of each hop of that route. Columns of assets the caller cannot see keep their place and
// distance, with their asset's fields null (the service leaves out their names).
// :variant column_reach_downstream direction=downstream edges=current
// :variant column_reach_upstream direction=upstream edges=current
// :param key string
// :literal maxDepth 1..100
// :param allNamespaces boolean
// :param history boolean
// :param limit integer
// :param namespaces list<string>
// A search's text takes Neo4j seconds to plan; the server plans it at start (app/asgi.py: plan) and keeps that
// plan when the graph's statistics move (a fresh database's first writes would make it plan again).
CYPHER replan=skip
MATCH (s:AssetColumn {key: $key})
MATCH p = ANY SHORTEST {{column_hops(s, r, t)}}
MATCH (a:Asset)-[:HAS_COLUMN]->(t)
WITH a, t, length(p) AS distance, relationships(p) AS hops, nodes(p) AS columns
RETURN distance, t.name AS columnName, {{shown(a)}},
       [h IN hops | h.transformations] AS transformations, [c IN columns[1..-1] | c.key] AS via
ORDER BY distance, visible DESC, a.id, t.name
{{first()}}
