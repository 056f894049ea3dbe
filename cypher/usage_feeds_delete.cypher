// Delete the FEEDS edges one usage made: those its task run drew from the asset it read (to the asset it wrote).
// :variant usage_feeds_delete_read relation=read
// :variant usage_feeds_delete_wrote relation=wrote
// :param executionKey string
// :param assetKey string
// :param taskId string
// :param value string
MATCH {{made_by(a, f)}}
WHERE f.executionKey = $executionKey AND f.taskId = $taskId AND f.value = $value
DELETE f
RETURN count(*) AS deleted
