// The stored flows of a tenant the caller may see, by namespace and id.
// :param tenantId string
// :param namespace string?
// :param allNamespaces boolean
// :param namespaces list<string>
MATCH (f:Flow)
WHERE f.tenantId = $tenantId
  AND ($namespace IS NULL OR f.namespace = $namespace OR f.namespace STARTS WITH ($namespace + '.'))
  AND ($allNamespaces OR any(p IN $namespaces WHERE f.namespace = p OR f.namespace STARTS WITH (p + '.')))
RETURN f
ORDER BY f.namespace, f.id
