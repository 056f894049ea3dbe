// Which assets lie one hop downstream (upstream) of each asset of `keys` and are not drawn yet (`drawn`), grouped
// by parent, visibility, namespace and type: each group's size and, for a visible group, its members as parallel
// lists (keys, ids, names with '' for none, deleted flags: collect() skips nulls), so that a drawing shows a few
// siblings and counts the rest. The members of a group the caller cannot see are never returned.
// :variant reach_children_downstream direction=downstream edges=current
// :variant reach_children_downstream_window direction=downstream edges=window
// :variant reach_children_upstream direction=upstream edges=current
// :variant reach_children_upstream_window direction=upstream edges=window
// :param keys list<string>
// :param drawn list<string>
// :param after string when edges=window
// :flag allNamespaces
// :param before string when edges=window
// :flag history when edges=current
// :param namespaces list<string>
MATCH {{hop(p:Asset, f, c:Asset)}}
WHERE p.key IN $keys AND {{walks(f)}} AND NOT {{has_item($drawn, c.key)}}
WITH DISTINCT p.key AS parent, c
WITH parent, c, {{visible(c)}} AS visible
RETURN parent, visible,
       CASE WHEN visible THEN c.namespace ELSE NULL END AS namespace,
       CASE WHEN visible THEN c.type ELSE NULL END AS type,
       count(*) AS reached,
       collect(CASE WHEN visible THEN c.key ELSE NULL END) AS memberKeys,
       collect(CASE WHEN visible THEN c.id ELSE NULL END) AS memberIds,
       collect(CASE WHEN visible THEN coalesce(c.displayName, '') ELSE NULL END) AS memberNames,
       collect(CASE WHEN visible THEN coalesce(c.deleted, false) ELSE NULL END) AS memberDeleted
