// Which flows read or wrote these assets, in the current lineage (the latest execution of each task slot)?
// One row per (asset, flow, relation); flows in namespaces the caller cannot see are left out.
// :param keys list<string>
// :flag allNamespaces
// :param namespaces list<string>
MATCH (e:Execution)-[r:{{usages()}}]->(a:Asset)
WHERE {{has_item($keys, a.key)}} AND r.current AND {{visible(e)}}
RETURN DISTINCT a.key AS assetKey, {{rel_type(r)}} AS relation, e.namespace AS flowNamespace, e.flowId AS flowId
