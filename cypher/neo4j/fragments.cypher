// Neo4j's forms of the shared fragments that differ (cypher/fragments.cypher), and its breadth-first search.
//
// Flags, SKIP and LIMIT are parameters here, not literals as for LadybugDB: every literal value is another
// query text, Neo4j plans each text anew (a hundred-level search takes seconds), and `$flag OR ...` costs a row
// nanoseconds.

// May the caller see `n`? A grant on its namespace or on a parent of it: the rule of app/domain/access.py in
// Cypher, the one place it is written for this dialect.
// :fragment visible(n)
// :param allNamespaces boolean
// :param namespaces list<string>
($allNamespaces OR any(g IN $namespaces WHERE n.namespace = g OR n.namespace STARTS WITH (g + '.')))

// :fragment flag(switch)
// :param switch boolean
$switch

// :fragment page()
// :param skip integer
// :param limit integer
SKIP $skip LIMIT $limit

// :fragment first()
// :param limit integer
LIMIT $limit

// :fragment walks(f) when edges=current
// :param history boolean
($history OR f.current)
// :fragment walks(f) when edges=window
// :param after string
// :param before string
(f.date >= $after AND f.date < $before)

// :fragment rel_type(r)
type(r)

// One relationship type per kind of lineage edge: Neo4j's writes do not stall behind its checkpoints
// (docs/measurements.md), so it needs no recent tables.
// :fragment reads()
READ
// :fragment wrotes()
WROTE
// :fragment feeds()
FEEDS
// :fragment usages()
READ|WROTE
// :fragment new_read()
READ
// :fragment new_wrote()
WROTE
// :fragment new_feeds()
FEEDS

// :fragment lowercase(text)
toLower(text)

// :fragment holds_all(list, items)
all(x IN items WHERE x IN list)

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

// :fragment has_item(list, x)
x IN list

// Java's regular expressions (a full match), as `=~` runs them.
// :fragment regex_match(text, pattern)
text =~ pattern


// One to `maxDepth` hops over the DERIVES edges lineage follows, from column `s` to column `t`.
// :fragment column_hops(s, r, t) when direction=downstream
(s)-[r:DERIVES WHERE {{walks(r)}}]->{1,{{maxDepth}}}(t:AssetColumn)
// :fragment column_hops(s, r, t) when direction=upstream
(s)<-[r:DERIVES WHERE {{walks(r)}}]-{1,{{maxDepth}}}(t:AssetColumn)

// :fragment chosen_pairs(t)
[p IN t.metaPairs WHERE p STARTS WITH k1 OR p STARTS WITH k2 OR p STARTS WITH k3 OR p STARTS WITH k4
  OR p STARTS WITH k5]

// A level of the search (next_level) that also keeps, for each asset it reaches, the step that reached it first:
// the asset one hop nearer (`parent`) and the fields of the edge between (traces[d - 1][i] belongs to
// levels[d - 1][i]), so that an export can give each asset a route.
// :fragment next_level_traced(more)
CALL (frontier, visited, levels, traces) {
  UNWIND CASE WHEN more THEN frontier ELSE [] END AS x
  MATCH {{hop(x, f, y)}}
  WHERE {{walks(f)}} AND NOT y IN visited
  WITH y, head(collect({parent: x.key, executionId: f.executionId, namespace: f.namespace, flowId: f.flowId,
                        taskId: f.taskId, value: f.value, date: f.date})) AS trace
  RETURN collect(y) AS next, collect(trace) AS found
}
WITH s, next AS frontier, visited + next AS visited, CASE WHEN next = [] THEN levels ELSE levels + [next] END AS levels,
     CASE WHEN next = [] THEN traces ELSE traces + [found] END AS traces
