// Store the merged state of an asset an execution wrote (revives it if deleted); `updated` and `version`
// move only when the content changed.
// :param key string
// :param namespace string
// :param type string
// :param displayName string?
// :param description string?
// :param metadata string
// :param metaPairs list<string>?
// :param fingerprint string
// :param now string
// :param executionId string
MATCH (a:Asset {key: $key})
WITH a, coalesce(a.fingerprint = $fingerprint AND a.deleted = false, false) AS unchanged
SET a.namespace = $namespace, a.type = $type, a.displayName = $displayName, a.description = $description,
    a.metadata = $metadata, a.metaPairs = $metaPairs, a.fingerprint = $fingerprint, a.deleted = false,
    a.createdBy = coalesce(a.createdBy, $executionId),
    a.updated = CASE WHEN unchanged THEN a.updated ELSE $now END,
    a.version = CASE WHEN unchanged THEN a.version ELSE a.version + 1 END
