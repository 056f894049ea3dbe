// Remove the nodes cypher/neo4j/assets_claim.cypher created for assets no recording of the batch wrote (each
// recording that would have written them was refused): only a node without a fingerprint, which no stored asset
// lacks.
// :param keys list<string>
UNWIND $keys AS k
MATCH (a:Asset {key: k})
WHERE a.fingerprint IS NULL
DETACH DELETE a
