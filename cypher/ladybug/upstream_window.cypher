// Which assets are upstream of this asset (read by executions that wrote it,
// transitively), each once, at its fewest hops: one page, ordered by distance, visible before redacted, then
// id. Assets in namespaces the caller cannot see keep their place and distance, with every other field null.
// Same search as upstream_distances_window.cypher; `maxDepth` only needs to reach the page's last distance.
// The visibility test is written out wherever it is used rather than bound once with WITH: LadybugDB then
// folds it away when `allNamespaces` is true (a WITH costs it ~1.5 ms per query on its own).
// :param key string
// :param after string
// :param before string
// :literal maxDepth 1..100
// :literal allTypes flag
// :param types list<string>
// :literal anyNamespace flag
// :param namespace string
// :literal allNamespaces flag
// :param namespaces list<string>
// :literal skip 0..100000000
// :literal limit 1..100000
MATCH (s:Asset {key: $key})<-[r:FEEDS* SHORTEST 1..{{maxDepth}} (f, n | WHERE f.date >= $after AND f.date < $before)]-(t:Asset)
WHERE ({{allTypes}} OR (({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) AND t.type IN $types))
  AND ({{anyNamespace}} OR (({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) AND (t.namespace = $namespace OR t.namespace STARTS WITH ($namespace + '.'))))
RETURN length(r) AS distance, ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) AS visible,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.id ELSE NULL END AS id,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.type ELSE NULL END AS type,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.namespace ELSE NULL END AS namespace,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.displayName ELSE NULL END AS displayName,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.deleted ELSE NULL END AS deleted
ORDER BY distance, visible DESC, t.id
SKIP {{skip}} LIMIT {{limit}}
