// Bulk-load new execution nodes from a CSV file the service wrote.
// :literal path file
COPY Execution FROM (
    LOAD WITH HEADERS (key STRING, tenantId STRING, id STRING, namespace STRING, flowId STRING, date STRING,
                       fingerprint STRING, document STRING)
    FROM {{path}} (header=true)
    RETURN key, tenantId, id, namespace, flowId, CAST(NULL AS INT64), 'SUCCESS', date, date, date, fingerprint,
           document
)
