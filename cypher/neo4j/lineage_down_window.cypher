// The downstream assets of this asset, nearest first, up to a node cap (to draw a lineage subgraph).
// :param key string
// :param after string
// :param before string
// :literal maxDepth 1..100
// :literal allNamespaces flag
// :param namespaces list<string>
// :literal limit 1..100000
MATCH (s:Asset {key: $key})
MATCH p = ANY SHORTEST (s)-[f:FEEDS WHERE f.date >= $after AND f.date < $before]->{1,{{maxDepth}}}(t:Asset)
WHERE t <> s
RETURN t.key AS key, length(p) AS distance, ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) AS visible,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.id ELSE NULL END AS id,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.type ELSE NULL END AS type,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.namespace ELSE NULL END AS namespace,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.displayName ELSE NULL END AS displayName,
       CASE WHEN ({{allNamespaces}} OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) THEN t.deleted ELSE NULL END AS deleted
ORDER BY distance, visible DESC, t.id
LIMIT {{limit}}
