// Which executions started after a position (start date, then key) and before a date, oldest first, in the
// namespaces the caller may see? (The OpenLineage pull feed pages through them.)
// :param tenantId string
// :param afterDate string
// :param afterKey string
// :param before string
// :literal allNamespaces flag
// :param namespaces list<string>
// :literal limit 1..100000
MATCH (e:Execution)
WHERE e.tenantId = $tenantId
  AND (e.startDate > $afterDate OR (e.startDate = $afterDate AND e.key > $afterKey))
  AND e.startDate < $before
  AND ({{allNamespaces}} OR any(g IN $namespaces WHERE e.namespace = g OR e.namespace STARTS WITH (g + '.')))
RETURN e
ORDER BY e.startDate, e.key
LIMIT {{limit}}
