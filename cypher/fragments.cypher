// Pieces of Cypher the query files share, inserted where a file writes {{name(arguments)}}; a fragment's
// `:param` / `:literal` lines are declared by every query that uses it (see app/store/queries.py). These are
// LadybugDB's forms; cypher/neo4j/fragments.cypher replaces those that differ on Neo4j.
//
// Flags are literals here: LadybugDB evaluates a parameter's OR branches on every row, while `true OR ...`
// written into the text folds away. Each fragment is inlined where it is used (never bound once with WITH, which
// costs LadybugDB time on every query: docs/measurements.md).

// May the caller see `n`? A grant on its namespace or on a parent of it: the rule of app/domain/access.py in
// Cypher, the one place it is written for this dialect.
// :fragment visible(n)
// :literal allNamespaces flag
// :param namespaces list<string>
({{allNamespaces}} OR any(g IN $namespaces WHERE n.namespace = g OR n.namespace STARTS WITH (g + '.')))

// Is `n` in the namespace asked for, or one of its children (`data` holds `data` and `data.mart`, not `database`)?
// :fragment in_namespace(n)
// :param namespace string
(n.namespace = $namespace OR n.namespace STARTS WITH ($namespace + '.'))

// A boolean switch the service sets (`{{flag(anyId)}} OR <filter>`: the filter applies unless the flag is set).
// :fragment flag(switch)
// :literal switch flag
{{switch}}

// One page of an ordered answer.
// :fragment page()
// :literal skip 0..100000000
// :literal limit 1..100000
SKIP {{skip}} LIMIT {{limit}}

// The first `limit` rows of an ordered answer.
// :fragment first()
// :literal limit 1..100000
LIMIT {{limit}}

// Which FEEDS edges lineage follows: those of the latest execution of each task slot (every one with `history`),
// or those of the executions that started within [after, before).
// :fragment walks(f) when edges=current
// :literal history flag
({{history}} OR f.current)
// :fragment walks(f) when edges=window
// :param after string
// :param before string
(f.date >= $after AND f.date < $before)

// The relationship tables the lineage edges of each kind live in. LadybugDB writes new edges to small tables of
// their own (`*_RECENT`) and moves them into the large ones when writes pause (cypher/ladybug/recent_*_fold):
// a checkpoint rewrites the string columns of every node group a relationship table's new edges land in, so new
// edges between random assets in the large table make every checkpoint long, and in a small one short
// (docs/measurements.md; app/store/ladybug.py: _Checkpointer). Queries read both; Neo4j has one each.
// :fragment reads()
READ|READ_RECENT
// :fragment wrotes()
WROTE|WROTE_RECENT
// :fragment feeds()
FEEDS|FEEDS_RECENT
// :fragment usages()
READ|READ_RECENT|WROTE|WROTE_RECENT
// Where an edge is written.
// :fragment new_read()
READ_RECENT
// :fragment new_wrote()
WROTE_RECENT
// :fragment new_feeds()
FEEDS_RECENT

// One hop in the direction of an answer: downstream follows FEEDS forwards, upstream backwards.
// :fragment hop(a, f, b) when direction=downstream
(a)-[f:{{feeds()}}]->(b)
// :fragment hop(a, f, b) when direction=upstream
(a)<-[f:{{feeds()}}]-(b)

// An asset's fields as a lineage answer shows them: all null but the distance when the caller cannot see it.
// :fragment shown(t)
{{visible(t)}} AS visible,
CASE WHEN {{visible(t)}} THEN t.id ELSE NULL END AS id,
CASE WHEN {{visible(t)}} THEN t.type ELSE NULL END AS type,
CASE WHEN {{visible(t)}} THEN t.namespace ELSE NULL END AS namespace,
CASE WHEN {{visible(t)}} THEN t.displayName ELSE NULL END AS displayName,
CASE WHEN {{visible(t)}} THEN t.deleted ELSE NULL END AS deleted

// The `type` / `namespace` filters of an impact or upstream answer: only a visible asset can match them.
// :fragment listed(t)
// :param types list<string>
({{flag(allTypes)}} OR ({{visible(t)}} AND t.type IN $types))
AND ({{flag(anyNamespace)}} OR ({{visible(t)}} AND {{in_namespace(t)}}))

// The name of a relationship's type, as the model names it (a recent edge is a READ, WROTE or FEEDS edge).
// :fragment rel_type(r)
(CASE label(r) WHEN 'READ_RECENT' THEN 'READ' WHEN 'WROTE_RECENT' THEN 'WROTE' WHEN 'FEEDS_RECENT' THEN 'FEEDS'
  ELSE label(r) END)

// `text` in lower case.
// :fragment lowercase(text)
lower(text)

// Does `list` hold every element of `items`? list_has_all() tests them in one call; the portable
// all(x IN items WHERE x IN list) costs LadybugDB three times as much.
// :fragment holds_all(list, items)
list_has_all(list, items)

// Does `list` hold `x`?
// :fragment has_item(list, x)
list_contains(list, x)

// Does all of `text` match the regular expression `pattern` (patterns are checked bounded before they get here)?
// :fragment regex_match(text, pattern)
regexp_full_match(text, pattern)

// Does the value `x` pass the filter leaf `l` ({s, op, v, vs, neg}: app/domain/query_filters.py)? One CASE on
// the comparison, negated by `l.neg` (NOT_EQUALS is `in` negated). `x` is an expression, written in each branch.
// :fragment leaf_holds(x, l)
((CASE l.op
    WHEN 'in' THEN {{has_item(l.vs, x)}}
    WHEN 'starts' THEN x STARTS WITH l.v
    WHEN 'ends' THEN x ENDS WITH l.v
    WHEN 'contains' THEN x CONTAINS l.v
    WHEN 'prefix' THEN (x = l.v OR x STARTS WITH (l.v + '.'))
    WHEN 'regex' THEN {{regex_match(x, l.v)}}
    WHEN 'gt' THEN x > l.v
    WHEN 'ge' THEN x >= l.v
    WHEN 'lt' THEN x < l.v
    WHEN 'le' THEN x <= l.v
    ELSE false
  END) <> l.neg)

// The value of asset `a` a filter leaf `l` tests (`l.s` names the field).
// :fragment asset_field(a, l)
(CASE l.s
  WHEN 'id' THEN a.id
  WHEN 'namespace' THEN coalesce(a.namespace, '')
  WHEN 'type' THEN a.type
  WHEN 'created' THEN a.created
  ELSE a.updated
END)

// Does asset `a` pass Kestra's query filters: any conjunction of `anyOf` whose every leaf holds? Metadata leaves
// test the asset's `key=value` pairs (app/domain/assets.py: meta_pair), text leaves (`q`) three fields. The
// field expression is written into each comparison rather than bound once (`any(x IN [<field>] ...)` crashes
// LadybugDB 0.22's binder).
// :fragment asset_passes(a)
// :param anyOf list<list<map>>
({{flag(unfiltered)}} OR any(c IN $anyOf WHERE all(l IN c WHERE
  CASE
    WHEN l.s = 'meta' THEN (any(p IN l.vs WHERE {{has_item(a.metaPairs, p)}}) <> l.neg)
    WHEN l.s = 'text' THEN ({{text_contains(a, l.v)}} <> l.neg)
    ELSE {{leaf_holds({{asset_field(a, l)}}, l)}}
  END)))

// Does `text` (lower case) occur in the id, displayName or description of asset `a`, in any case (Kestra's `q`)?
// :fragment text_contains(a, text)
coalesce({{lowercase(a.id)}} CONTAINS text OR {{lowercase(a.displayName)}} CONTAINS text
         OR {{lowercase(a.description)}} CONTAINS text, false)

// The order of a sorted answer.
// :fragment order() when order=asc
ASC
// :fragment order() when order=desc
DESC

// The id a usage's task run is known by: `<executionId>:<taskId>`, then `:<value>` inside a ForEach (Kestra's own
// task-run ids are not stored; this one is stable and can be filtered on in the database).
// :fragment task_run_id(r)
(r.executionId + ':' + r.taskId + CASE WHEN r.value = '' THEN '' ELSE ':' + r.value END)

// The value of usage (e)-[r:READ|WROTE]->(a) a filter leaf `l` tests (app/domain/query_filters.py: USAGE_FIELDS).
// :fragment usage_field(e, r, a, l)
(CASE l.s
  WHEN 'assetId' THEN a.id
  WHEN 'namespace' THEN e.namespace
  WHEN 'flowId' THEN e.flowId
  WHEN 'executionId' THEN e.id
  WHEN 'taskId' THEN r.taskId
  WHEN 'taskRunId' THEN {{task_run_id(r)}}
  ELSE r.date
END)

// Does usage (e)-[r]->(a) pass Kestra's query filters (see asset_passes)?
// :fragment usage_passes(e, r, a)
// :param anyOf list<list<map>>
({{flag(unfiltered)}} OR any(c IN $anyOf WHERE all(l IN c WHERE {{leaf_holds({{usage_field(e, r, a, l)}}, l)}})))

// The relationship type of a usage, and the FEEDS edges a usage of asset `a` made: a read asset feeds the task
// run's outputs, a written one is fed by its inputs.
// :fragment usage_type() when relation=read
{{reads()}}
// :fragment usage_type() when relation=wrote
{{wrotes()}}
// :fragment made_by(a, f) when relation=read
(a:Asset {key: $assetKey})-[f:{{feeds()}}]->(:Asset)
// :fragment made_by(a, f) when relation=wrote
(:Asset)-[f:{{feeds()}}]->(a:Asset {key: $assetKey})

// The metadata pairs of `t` whose keys are among the five asked for (`k1`..`k5`: each the text a pair starts
// with, `["key",`, bound to a variable beforehand because a LadybugDB lambda cannot read a parameter; an unused
// slot holds `!`, which no pair starts with).
// :fragment chosen_pairs(t)
list_filter(t.metaPairs, p -> starts_with(p, k1) OR starts_with(p, k2) OR starts_with(p, k3) OR starts_with(p, k4)
  OR starts_with(p, k5))

// The assets of a search, grouped by what an impact summary counts: distance, visibility, deleted, namespace,
// type and the chosen metadata pairs; everything but the distance is null for an asset the caller cannot see.
// :fragment summary_groups(distance, t)
// :param k1 string
// :param k2 string
// :param k3 string
// :param k4 string
// :param k5 string
WITH distance, t, {{visible(t)}} AS visible, $k1 AS k1, $k2 AS k2, $k3 AS k3, $k4 AS k4, $k5 AS k5
RETURN distance, visible,
       CASE WHEN visible THEN t.deleted ELSE NULL END AS deleted,
       CASE WHEN visible THEN t.namespace ELSE NULL END AS namespace,
       CASE WHEN visible THEN t.type ELSE NULL END AS type,
       CASE WHEN visible THEN {{chosen_pairs(t)}} ELSE NULL END AS pairs,
       count(*) AS reached

// The rows of an export: each asset reached with its fields (all null but the distance when the caller cannot see
// it), its chosen metadata pairs, and one step of a shortest route to it: `parent`, the asset one hop nearer (the
// start's key at distance 1), and `step`, the lineage edge (or its fields) of the task run between them. Ordered
// by distance, so that the service builds each route from the level before it and holds no more than two levels.
// :fragment export_rows(distance, t, parent, step)
// :param k1 string
// :param k2 string
// :param k3 string
// :param k4 string
// :param k5 string
WITH distance, t, parent, step, $k1 AS k1, $k2 AS k2, $k3 AS k3, $k4 AS k4, $k5 AS k5
RETURN distance, t.key AS key, {{shown(t)}},
       CASE WHEN {{visible(t)}} THEN {{chosen_pairs(t)}} ELSE NULL END AS pairs,
       parent, step.executionId AS executionId, step.namespace AS stepNamespace, step.flowId AS flowId,
       step.taskId AS taskId
ORDER BY distance, visible DESC, t.id
