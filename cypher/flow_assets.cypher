// Which assets did these flows (`<namespace>/<flowId>`) read or write, in the current lineage? One row per
// (flow, asset, relation); assets the caller cannot see are left out.
// :param tenantId string
// :param flows list<string>
// :flag allNamespaces
// :param namespaces list<string>
MATCH (e:Execution)-[r:{{usages()}}]->(a:Asset)
WHERE e.tenantId = $tenantId AND r.current AND {{has_item($flows, e.namespace + '/' + e.flowId)}} AND {{visible(a)}}
RETURN DISTINCT e.namespace AS flowNamespace, e.flowId AS flowId, {{rel_type(r)}} AS relation,
       a.key AS assetKey, a.id AS assetId, a.namespace AS assetNamespace
