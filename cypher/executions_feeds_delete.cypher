// Before executions are recorded again (OpenLineage runs whose events changed): delete the FEEDS edges each made,
// found from the assets it wrote (see demote_feeds.cypher for why not from those it read).
// :param keys list<string>
UNWIND $keys AS k
MATCH (e:Execution {key: k})
MATCH (e)-[:{{wrotes()}}]->(:Asset)<-[f:{{feeds()}}]-(:Asset)
WHERE f.executionKey = k
DELETE f
