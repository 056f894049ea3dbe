// Routes of the results one hop from this asset (downstream / upstream): the edge itself (what
// reach_routes.cypher gives for longer routes). A hub's first page lies one hop away, and reading its edges
// is far cheaper than tracking the paths of a search. Every qualifying edge is returned; any one is a shortest
// route.
// :variant reach_direct_downstream direction=downstream edges=current
// :variant reach_direct_downstream_window direction=downstream edges=window
// :variant reach_direct_upstream direction=upstream edges=current
// :variant reach_direct_upstream_window direction=upstream edges=window
// :param key string
// :param targets list<string>
// :param after string when edges=window
// :param before string when edges=window
// :flag history when edges=current
MATCH {{hop(s:Asset {key: $key}, f, t:Asset)}}
WHERE t.key IN $targets AND {{walks(f)}}
RETURN t.key AS key, f.executionId AS executionId, f.namespace AS namespace, f.flowId AS flowId,
       f.taskId AS taskId, f.value AS value, f.date AS date
