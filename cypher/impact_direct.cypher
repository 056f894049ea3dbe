// Routes of the results one hop from this asset (downstream): the edge itself (what impact_via.cypher gives for
// longer routes). A first page of a hub lies entirely one hop away, and reading its edges is far cheaper than
// tracking the paths of a search. Every qualifying edge is returned; any one is a shortest route.
// :param key string
// :literal history flag
// :param targets list<string>
MATCH (s:Asset {key: $key})-[f:FEEDS]->(t:Asset)
WHERE t.key IN $targets AND ({{history}} OR f.current)
RETURN t.key AS key, f.executionId AS executionId, f.namespace AS namespace, f.flowId AS flowId,
       f.taskId AS taskId, f.value AS value, f.date AS date
