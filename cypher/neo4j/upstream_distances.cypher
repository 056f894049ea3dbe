// How many assets are upstream of this asset at each distance (fewest hops), and how many of
// those the caller may see? A breadth-first search over FEEDS edges (current ones unless `history`; within
// [after, before) when given) up to `maxDepth` hops; never path enumeration. `types` / `namespace` restrict
// what is counted (only visible assets can match them).
// :param key string
// :param history boolean
// :param after string?
// :param before string?
// :literal maxDepth 1..100
// :param types list<string>
// :param namespace string?
// :param allNamespaces boolean
// :param namespaces list<string>
MATCH (s:Asset {key: $key})
MATCH p = ANY SHORTEST (s)<-[f:FEEDS WHERE ($history OR f.current) AND ($after IS NULL OR f.date >= $after)
                                            AND ($before IS NULL OR f.date < $before)]-{1,{{maxDepth}}}(t:Asset)
WHERE t.key <> $key
WITH t, length(p) AS distance, ($allNamespaces OR any(g IN $namespaces WHERE t.namespace = g OR t.namespace STARTS WITH (g + '.'))) AS visible
WHERE (size($types) = 0 OR (visible AND t.type IN $types))
  AND ($namespace IS NULL OR (visible AND (t.namespace = $namespace OR t.namespace STARTS WITH ($namespace + '.'))))
RETURN distance, count(t) AS reached, sum(CASE WHEN visible THEN 1 ELSE 0 END) AS visibleCount
ORDER BY distance
