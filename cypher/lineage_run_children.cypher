// The child runs of a run (those whose `parent` facet names it), oldest first.
// :param key string
// :param limit integer
MATCH (:LineageRun {key: $key})-[:PARENT_OF]->(c:LineageRun)
RETURN c.runId AS runId, c.namespace AS namespace, c.jobNamespace AS jobNamespace, c.jobName AS jobName,
       c.state AS state, c.startTime AS startTime, c.endTime AS endTime
ORDER BY c.startTime, c.runId
LIMIT $limit
