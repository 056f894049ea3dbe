// Soft-delete an asset the caller may see: flag it; the node and its lineage stay.
// (`coalesce` because LadybugDB 0.22 reads a bare property projected by WITH after the SET that follows:
// `a.deleted AS wasDeleted` was always true there, so deleting never moved `updated`.)
// :param key string
// :param now string
// :flag allNamespaces
// :param namespaces list<string>
MATCH (a:Asset {key: $key})
WHERE {{visible(a)}}
WITH a, coalesce(a.deleted, false) AS wasDeleted
SET a.deleted = true,
    a.updated = CASE WHEN wasDeleted THEN a.updated ELSE $now END,
    a.version = CASE WHEN wasDeleted THEN a.version ELSE a.version + 1 END
RETURN a
