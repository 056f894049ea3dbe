// Make sure an asset an execution read exists: created as declared (External unless a type is given) when
// missing; an existing asset is left exactly as it is.
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
ON CREATE SET a.tenantId = $tenantId, a.id = $id, a.namespace = $namespace, a.type = $type,
              a.displayName = $displayName, a.description = $description, a.metadata = $metadata,
              a.metaPairs = $metaPairs, a.fingerprint = $fingerprint, a.created = $now, a.updated = $now,
              a.deleted = false, a.version = 1
RETURN a
