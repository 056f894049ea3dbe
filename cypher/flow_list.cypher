// The stored flows of a tenant the caller may see, by namespace and id.
// :param tenantId string
// :literal anyNamespace flag
// :param namespace string
// :literal allNamespaces flag
// :param namespaces list<string>
MATCH (f:Flow)
WHERE f.tenantId = $tenantId
  AND ({{anyNamespace}} OR f.namespace = $namespace OR f.namespace STARTS WITH ($namespace + '.'))
  AND ({{allNamespaces}} OR any(g IN $namespaces WHERE f.namespace = g OR f.namespace STARTS WITH (g + '.')))
RETURN f
ORDER BY f.namespace, f.id
