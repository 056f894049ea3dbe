// Before an execution is recorded again (an OpenLineage run whose events changed): delete the FEEDS edges
// it made, found from the assets it wrote (see demote_feeds.cypher for why not from those it read).
// :param executionKey string
MATCH (e:Execution {key: $executionKey})-[:{{wrotes()}}]->(:Asset)<-[f:{{feeds()}}]-(:Asset)
WHERE f.executionKey = $executionKey
DELETE f
