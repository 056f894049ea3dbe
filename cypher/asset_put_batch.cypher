// Register or replace many assets at once (PUT /assets, `lineage import`): asset_put.cypher for each row
// of `rows`, in one statement. Each row holds key, tenantId, id, namespace, type, displayName, description,
// metadata, metaPairs and fingerprint, as asset_put.cypher's parameters of those names. Keys are unique
// within a batch (the service refuses repeats). One statement is several times faster than one per row on
// LadybugDB (docs/measurements.md). Answers one row per asset: whether this statement created it
// and, read under the MERGE's lock, the namespace it had (for the caller's grant check, as asset_put.cypher).
// (`coalesce` because LadybugDB 0.22 reads a bare property projected by WITH after the SET that follows.)
// :param rows list<map>
// :param now string
UNWIND $rows AS r
MERGE (a:Asset {key: r.key})
ON CREATE SET a.tenantId = r.tenantId, a.id = r.id, a.created = $now, a.createdBy = 'manual',
              a.deleted = false, a.version = 0
WITH a, r, a.fingerprint IS NULL AS fresh, coalesce(a.namespace, '') AS namespaceBefore,
     coalesce(a.fingerprint = r.fingerprint AND a.deleted = false, false) AS unchanged
SET a.namespace = r.namespace, a.type = r.type, a.displayName = r.displayName, a.description = r.description,
    a.metadata = r.metadata, a.metaPairs = r.metaPairs, a.fingerprint = r.fingerprint, a.deleted = false,
    a.updated = CASE WHEN unchanged THEN a.updated ELSE $now END,
    a.version = CASE WHEN unchanged THEN a.version ELSE a.version + 1 END
RETURN a.id AS id, fresh, namespaceBefore
