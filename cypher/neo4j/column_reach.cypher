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
// Unlike the asset searches this text is short and quick to plan, so Neo4j plans it again once the statistics it
// was planned on have moved (no `replan=skip`): a plan made on a database without columns scans every column and
// searches a route to each (tests/cypher/test_neo4j_cypher.py; the README's "First answers on a fresh Neo4j").
// Each column's asset is found by its key (the unique index), whatever the plan.
MATCH (s:AssetColumn {key: $key})
MATCH p = ANY SHORTEST {{column_hops(s, r, t)}}
MATCH (a:Asset {key: t.assetKey})
WITH a, t, length(p) AS distance, relationships(p) AS hops, nodes(p) AS columns
RETURN distance, t.name AS columnName, {{shown(a)}},
       [h IN hops | h.transformations] AS transformations, [c IN columns[1..-1] | c.key] AS via
ORDER BY distance, visible DESC, a.id, t.name
{{first()}}
