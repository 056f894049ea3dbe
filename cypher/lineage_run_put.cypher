// Store what a run's events say together (the document keeps the distinct events themselves).
// :param key string
// :param namespace string
// :param jobNamespace string
// :param jobName string
// :param state string
// :param startTime string
// :param endTime string
// :param updated string
// :param events integer
// :param fingerprint string
// :param document string
MATCH (r:LineageRun {key: $key})
SET r.namespace = $namespace, r.jobNamespace = $jobNamespace, r.jobName = $jobName, r.state = $state,
    r.startTime = $startTime, r.endTime = $endTime, r.updated = $updated, r.events = $events,
    r.fingerprint = $fingerprint, r.document = $document
