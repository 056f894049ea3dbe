// Take the row of an asset's lock for this transaction, creating it empty the first time (asset_lock_row then
// reads it). The write makes Neo4j lock the row until commit, so two executions asking at once are served one
// after the other and the second reads the first one's hold. Nothing is returned from the written node: LadybugDB
// 0.22 can hand back corrupt text for a node read in the statement that set it.
// :param key string
// :param tenantId string
// :flag allNamespaces
// :param namespaces list<string>
MATCH (a:Asset {key: $key})
WHERE a.deleted = false AND {{visible(a)}}
MERGE (l:AssetLock {key: $key})
ON CREATE SET l.holder = '', l.lockedUntil = '', l.acquiredAt = ''
SET l.tenantId = $tenantId
RETURN a.namespace AS namespace
