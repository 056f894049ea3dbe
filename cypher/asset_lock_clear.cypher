// Release an asset's lock: empty its row (kept, so the next holder takes the same row).
// :param key string
MATCH (l:AssetLock {key: $key})
SET l.holder = '', l.lockedUntil = '', l.executionId = NULL, l.flowId = NULL, l.flowNamespace = NULL,
    l.taskRunId = NULL, l.username = NULL
RETURN l.key AS key
