// How many lineage edges wait in the recent tables to be folded into the large ones (the checkpointer folds
// them during continuous writes too once there are too many: see app/store/ladybug.py: _Checkpointer).
// :one-table
MATCH ()-[h:READ_RECENT|WROTE_RECENT|FEEDS_RECENT]->()
RETURN count(h) AS n
