// Bulk-load current WROTE edges of bulk-loaded task runs from a CSV file the service wrote.
// :literal path file
COPY WROTE FROM (
    LOAD WITH HEADERS (sourceKey STRING, targetKey STRING, executionKey STRING, executionId STRING, namespace STRING,
                       flowId STRING, taskId STRING, value STRING, date STRING)
    FROM {{path}} (header=true)
    RETURN sourceKey, targetKey, executionKey, executionId, namespace, flowId, taskId, value, date, true
)
