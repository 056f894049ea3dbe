// v2 -> v3: new lineage edges are written to small tables of their own and moved into READ / WROTE / FEEDS when
// writes pause (cypher/fragments.cypher: reads(); app/store/ladybug.py: _Checkpointer), so that a checkpoint
// during continuous writes rewrites small tables, not the large ones.
CREATE REL TABLE IF NOT EXISTS READ_RECENT(
    FROM Execution TO Asset, executionKey STRING, executionId STRING, namespace STRING, flowId STRING,
    taskId STRING, value STRING, date STRING, current BOOLEAN
);
CREATE REL TABLE IF NOT EXISTS WROTE_RECENT(
    FROM Execution TO Asset, executionKey STRING, executionId STRING, namespace STRING, flowId STRING,
    taskId STRING, value STRING, date STRING, current BOOLEAN
);
CREATE REL TABLE IF NOT EXISTS FEEDS_RECENT(
    FROM Asset TO Asset, executionKey STRING, executionId STRING, namespace STRING, flowId STRING,
    taskId STRING, value STRING, date STRING, current BOOLEAN
);
