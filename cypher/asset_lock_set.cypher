// Record who holds an asset's lock, and until when (the row was taken by asset_lock_take in this transaction).
// Returns no node, as asset_lock_take (a node read in the statement that set it can come back corrupt).
// :param key string
// :param holder string
// :param ownerType string
// :param executionId string?
// :param flowId string?
// :param flowNamespace string?
// :param taskRunId string?
// :param username string?
// :param acquiredAt string
// :param lockedUntil string
MATCH (l:AssetLock {key: $key})
SET l.holder = $holder, l.ownerType = $ownerType, l.executionId = $executionId, l.flowId = $flowId,
    l.flowNamespace = $flowNamespace, l.taskRunId = $taskRunId, l.username = $username,
    l.acquiredAt = $acquiredAt, l.lockedUntil = $lockedUntil
RETURN count(*) AS updated
