// How many assets are downstream of this asset at each distance (fewest hops), and how many of
// those the caller may see? A breadth-first search over FEEDS edges (current ones unless `history`),
// up to `maxDepth` hops; never path enumeration. `types` / `namespace` restrict
// what is counted unless `allTypes` / `anyNamespace` (only visible assets can match them).
// The visibility test is written out wherever it is used rather than bound once with WITH: LadybugDB then
// folds it away when `allNamespaces` is true (a WITH costs it ~1.5 ms per query on its own).
// :param key string
// :literal history flag
// :literal maxDepth 1..100
// :literal allTypes flag
// :param types list<string>
// :literal anyNamespace flag
// :param namespace string
// :literal allNamespaces flag
// :param namespaces list<string>
MATCH (s:Asset {key: $key})-[r:FEEDS* SHORTEST 1..{{maxDepth}} (f, n | WHERE {{history}} OR f.current)]->(t:Asset)
WHERE ({{allTypes}} OR (({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) AND t.type IN $types))
  AND ({{anyNamespace}} OR (({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) AND (t.namespace = $namespace OR t.namespace STARTS WITH ($namespace + '.'))))
RETURN length(r) AS distance, count(t) AS reached, sum(CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN 1 ELSE 0 END) AS visibleCount
ORDER BY distance
