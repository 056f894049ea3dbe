// Bulk-load new assets from a CSV file the service wrote (benchmarks, fresh imports): COPY is LadybugDB's
// fast path. `pairs` holds the metadata pairs joined by tabs (JSON never contains a raw tab).
// :literal path file
COPY Asset FROM (
    LOAD WITH HEADERS (key STRING, tenantId STRING, id STRING, namespace STRING, type STRING, metadata STRING,
                       pairs STRING, fingerprint STRING, created STRING)
    FROM {{path}} (header=true)
    RETURN key, tenantId, id, namespace, type, CAST(NULL AS STRING), CAST(NULL AS STRING), metadata,
           CASE WHEN pairs IS NULL OR pairs = '' THEN CAST([] AS STRING[]) ELSE string_split(pairs, '\t') END,
           created, created, false, CAST(NULL AS STRING), fingerprint, CAST(1 AS INT64)
)
