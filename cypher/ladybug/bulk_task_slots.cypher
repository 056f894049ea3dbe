// Bulk-load the task slots of bulk-loaded task runs (each run is the latest of its slot).
// :literal path file
COPY TaskSlot FROM (
    LOAD WITH HEADERS (key STRING, tenantId STRING, flowKey STRING, namespace STRING, flowId STRING,
                       taskId STRING, value STRING, executionKey STRING, date STRING)
    FROM {{path}} (header=true)
    RETURN key, tenantId, flowKey, namespace, flowId, taskId, value, executionKey, date, false AS hasColumns
)
