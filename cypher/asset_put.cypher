// Register or replace an asset by hand (PUT). `created` is set once; `updated` and `version` move only
// when the content (fingerprint) changes or a deleted asset is revived. `fresh` says this statement created
// the node (a stored asset always has a fingerprint) and `namespaceBefore` is the namespace it had, read
// under the MERGE's lock: concurrent PUTs of a new id serialise here, so exactly one sees `fresh`, and the
// caller checks its grant on the namespace the asset really had (the transaction rolls back if not).
// (`coalesce` because LadybugDB 0.22 reads a bare property projected by WITH after the SET that follows.)
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
WITH a, a.fingerprint IS NULL AS fresh, coalesce(a.namespace, '') AS namespaceBefore,
     coalesce(a.fingerprint = $fingerprint AND a.deleted = false, false) AS unchanged
SET a.namespace = $namespace, a.type = $type, a.displayName = $displayName, a.description = $description,
    a.metadata = $metadata, a.metaPairs = $metaPairs, a.fingerprint = $fingerprint, a.deleted = false,
    a.updated = CASE WHEN unchanged THEN a.updated ELSE $now END,
    a.version = CASE WHEN unchanged THEN a.version ELSE a.version + 1 END
RETURN a, unchanged, fresh, namespaceBefore
