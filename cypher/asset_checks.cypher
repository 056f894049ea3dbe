// Which runs that read this asset reported data-quality results (dbt's tests read the table they test)? The latest
// `limit` executions that read it and whose OpenLineage document holds a `dataQualityAssertions` facet (`facet`; such a document is stored as text), newest
// first; the service keeps the assertions about this asset. Executions the caller cannot see are left out.
// :param key string
// :param facet string
// :flag allNamespaces
// :number limit 1..100000
// :param namespaces list<string>
MATCH (e:Execution)-[r:{{reads()}}]->(a:Asset {key: $key})
WHERE {{visible(e)}} AND e.document CONTAINS $facet
RETURN DISTINCT e.id AS executionId, e.flowId AS job, e.state AS state, r.date AS date, e.document AS document
ORDER BY date DESC, executionId DESC
{{first()}}
