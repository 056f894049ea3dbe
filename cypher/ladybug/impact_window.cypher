// Which assets are downstream of this asset (written by executions that read it,
// transitively), each once, at its fewest hops: one page, ordered by distance, visible before redacted, then
// id. Assets in namespaces the caller cannot see keep their place and distance, with every other field null.
// Same search as impact_distances_window.cypher; `maxDepth` only needs to reach the page's last distance.
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
// :param skip integer
// :param limit integer
MATCH (s:Asset {key: $key})-[r:FEEDS* SHORTEST 1..{{maxDepth}} (f, n | WHERE f.date >= $after AND f.date < $before)]->(t:Asset)
WITH t, length(r) AS distance, ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) AS visible
WHERE ({{allTypes}} OR (visible AND t.type IN $types))
  AND ({{anyNamespace}} OR (visible AND (t.namespace = $namespace OR t.namespace STARTS WITH ($namespace + '.'))))
RETURN distance, visible, CASE WHEN visible THEN t.id ELSE NULL END AS id,
       CASE WHEN visible THEN t.type ELSE NULL END AS type,
       CASE WHEN visible THEN t.namespace ELSE NULL END AS namespace,
       CASE WHEN visible THEN t.displayName ELSE NULL END AS displayName,
       CASE WHEN visible THEN t.deleted ELSE NULL END AS deleted
ORDER BY distance, visible DESC, t.id
SKIP $skip LIMIT $limit
