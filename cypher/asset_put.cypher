// Register or replace an asset by hand (PUT). `created` is set once; `updated` and `version` move only
// when the content (fingerprint) changes or a deleted asset is revived.
// :param key string
// :param tenantId string
// :param id string
// :param namespace string
// :param type string
// :param displayName string?
// :param description string?
// :param metadata string
// :param metaPairs list<string>?
// :param fingerprint string
// :param now string
MERGE (a:Asset {key: $key})
ON CREATE SET a.tenantId = $tenantId, a.id = $id, a.created = $now, a.createdBy = 'manual',
              a.deleted = false, a.version = 0
WITH a, coalesce(a.fingerprint = $fingerprint AND a.deleted = false, false) AS unchanged
SET a.namespace = $namespace, a.type = $type, a.displayName = $displayName, a.description = $description,
    a.metadata = $metadata, a.metaPairs = $metaPairs, a.fingerprint = $fingerprint, a.deleted = false,
    a.updated = CASE WHEN unchanged THEN a.updated ELSE $now END,
    a.version = CASE WHEN unchanged THEN a.version ELSE a.version + 1 END
RETURN a, unchanged
