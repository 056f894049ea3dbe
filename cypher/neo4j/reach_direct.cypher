// Routes of the results one hop from this asset (downstream / upstream): the edge itself (what
// reach_routes.cypher gives for longer routes). A hub's first page lies one hop away. Each of the page's assets
// is looked up and its edges to the start read (Expand(Into) from the side with fewer edges): the shared file's
// form and `MATCH (t) WHERE t.key IN $targets` are planned as reading every edge of the hub and filtering, and an
// index hint makes a slower hash join (docs/measurements.md: reach_direct).
// :variant reach_direct_downstream direction=downstream edges=current
// :variant reach_direct_downstream_window direction=downstream edges=window
// :variant reach_direct_upstream direction=upstream edges=current
// :variant reach_direct_upstream_window direction=upstream edges=window
// :param key string
// :param targets list<string>
// :param after string when edges=window
// :param before string when edges=window
// :param history boolean when edges=current
// A search's text takes Neo4j seconds to plan; the server plans it at start (app/asgi.py: plan) and keeps that
// plan when the graph's statistics move (a fresh database's first writes would make it plan again).
CYPHER replan=skip
MATCH (s:Asset {key: $key})
UNWIND $targets AS target
MATCH (t:Asset {key: target})
MATCH {{hop(s, f, t)}}
WHERE {{walks(f)}}
RETURN t.key AS key, f.executionId AS executionId, f.namespace AS namespace, f.flowId AS flowId,
       f.taskId AS taskId, f.value AS value, f.date AS date
