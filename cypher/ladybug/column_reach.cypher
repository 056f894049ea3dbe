// Which columns derive from this column (downstream) or does it derive from (upstream), each once at its fewest
// hops (a breadth-first search, never path enumeration), with the columns in between (`via`) and the
// transformations of each hop of that route. Columns of assets the caller cannot see keep their place and
// distance, with their asset's fields null (the service leaves out their names).
// :variant column_reach_downstream direction=downstream edges=current
// :variant column_reach_upstream direction=upstream edges=current
// :param key string
// :literal maxDepth 1..100
// :literal allNamespaces flag
// :literal history flag
// :literal limit 1..100000
// :param namespaces list<string>
MATCH {{column_hops(s:AssetColumn {key: $key}, r, t)}}
MATCH (a:Asset)-[:HAS_COLUMN]->(t)
RETURN length(r) AS distance, t.name AS columnName, {{shown(a)}},
       properties(rels(r), 'transformations') AS transformations, properties(nodes(r), 'key') AS via
ORDER BY distance, visible DESC, a.id, t.name
{{first()}}
