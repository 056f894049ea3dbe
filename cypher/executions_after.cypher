// Which executions started after a position (start date, then key) and before a date, oldest first, in the
// namespaces the caller may see? (The OpenLineage pull feed pages through them.)
// :param tenantId string
// :param afterDate string
// :param afterKey string
// :param before string
// :flag allNamespaces
// :number limit 1..100000
// :param namespaces list<string>
MATCH (e:Execution)
WHERE e.tenantId = $tenantId
  AND (e.startDate > $afterDate OR (e.startDate = $afterDate AND e.key > $afterKey))
  AND e.startDate < $before
  AND {{visible(e)}}
RETURN e
ORDER BY e.startDate, e.key
{{first()}}
