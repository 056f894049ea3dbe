// Delete a stored flow: its latest-revision node goes, its revisions stay (so a flow stored again under the same
// id continues their numbering, as Kestra does) and so does the lineage its executions recorded.
// :param key string
MATCH (f:Flow {key: $key})
DETACH DELETE f
RETURN count(*) AS deleted
