// Pieces the Neo4j traversal files share, inserted where a file writes {{name(arguments)}} (see
// app/store/queries.py). A `when` picks the piece for a variant: direction=down|up, edges=current|window.

// May the caller see asset `n`? A grant on its namespace or on a parent of it (the rule of
// app/domain/access.py, in Cypher). Flags are parameters here, not literals as for LadybugDB: every literal
// value is another query text, and Neo4j plans each hundred-level text anew (0.5-3 s); `$flag OR ...` costs a
// row a few nanoseconds.
// :fragment visible(n)
($allNamespaces OR any(g IN $namespaces WHERE n.namespace = g OR n.namespace STARTS WITH (g + '.')))

// Which FEEDS edges a search walks: those of the latest execution of each task slot (every one with
// `history`), or those of the executions that started within [after, before).
// :fragment walks(f) when edges=current
($history OR f.current)
// :fragment walks(f) when edges=window
(f.date >= $after AND f.date < $before)

// One hop in the direction of the search: downstream follows FEEDS forwards, upstream backwards.
// :fragment hop(a, f, b) when direction=down
(a)-[f:FEEDS]->(b)
// :fragment hop(a, f, b) when direction=up
(a)<-[f:FEEDS]-(b)

// One level of a breadth-first search from `s`, while `more` holds: the assets one hop from `frontier` not in
// `visited`, appended to `levels` (levels[d - 1] holds the assets at distance d). Repeated once per level up to
// the depth cap (`// :repeat 100`); once a level is empty the rest do nothing. `NOT y IN visited` costs O(1):
// Neo4j builds a hash set of a list it tests membership in repeatedly.
// :fragment next_level(more)
CALL (frontier, visited, levels) {
  UNWIND CASE WHEN more THEN frontier ELSE [] END AS x
  MATCH {{hop(x, f, y)}}
  WHERE {{walks(f)}} AND NOT y IN visited
  RETURN collect(DISTINCT y) AS next
}
WITH s, next AS frontier, visited + next AS visited, CASE WHEN next = [] THEN levels ELSE levels + [next] END AS levels

// One step back along a route found by the search: `route` starts at an asset `distance - size(steps)` hops from
// `s`; an edge into it from an asset one hop nearer (levels[k - 2], or `s` itself) extends the route. Once the
// route reaches `s` the step does nothing (OPTIONAL CALL keeps the row).
// :fragment step_back()
OPTIONAL CALL (s, levels, distance, route, steps) {
  WITH head(route) AS here, distance - size(steps) AS k
  WHERE k > 0
  MATCH {{hop(p, f, here)}}
  WHERE {{walks(f)}} AND CASE WHEN k = 1 THEN p = s ELSE p IN levels[k - 2] END
  RETURN p, f
  LIMIT 1
}
WITH s, levels, t, distance, CASE WHEN p IS NULL THEN route ELSE [p] + route END AS route,
     CASE WHEN f IS NULL THEN steps ELSE [f] + steps END AS steps

// The asset's fields as a lineage answer shows them: null but for the distance when the caller cannot see it.
// :fragment shown(t)
{{visible(t)}} AS visible,
CASE WHEN {{visible(t)}} THEN t.id ELSE NULL END AS id,
CASE WHEN {{visible(t)}} THEN t.type ELSE NULL END AS type,
CASE WHEN {{visible(t)}} THEN t.namespace ELSE NULL END AS namespace,
CASE WHEN {{visible(t)}} THEN t.displayName ELSE NULL END AS displayName,
CASE WHEN {{visible(t)}} THEN t.deleted ELSE NULL END AS deleted

// The `type` / `namespace` filters of an impact or upstream answer (only visible assets can match them).
// :fragment listed(t)
($allTypes OR ({{visible(t)}} AND t.type IN $types))
AND ($anyNamespace OR ({{visible(t)}} AND (t.namespace = $namespace OR t.namespace STARTS WITH ($namespace + '.'))))
