// Bulk-load the holders of bulk-loaded task runs' outputs (each run is the latest writer of each of its outputs).
// :literal path file
COPY TaskSlot FROM (
    LOAD WITH HEADERS (key STRING, tenantId STRING, flowKey STRING, namespace STRING, flowId STRING,
                       taskId STRING, value STRING, executionKey STRING, date STRING, slotKey STRING,
                       assetKey STRING)
    FROM {{path}} (header=true)
    RETURN key, tenantId, flowKey, namespace, flowId, taskId, value, executionKey, date, false AS hasColumns,
           slotKey, assetKey
)
