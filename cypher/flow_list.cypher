// The stored flows of a tenant the caller may see, by namespace and id.
// :param tenantId string
// :flag allNamespaces
// :flag anyNamespace
// :param namespace string
// :param namespaces list<string>
MATCH (f:Flow)
WHERE f.tenantId = $tenantId
  AND ({{flag(anyNamespace)}} OR {{in_namespace(f)}})
  AND {{visible(f)}}
RETURN f
ORDER BY f.namespace, f.id
