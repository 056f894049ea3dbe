// Delete execution nodes with their READ and WROTE edges (their FEEDS and DERIVES edges are deleted first).
// :param keys list<string>
UNWIND $keys AS k
MATCH (e:Execution {key: k})
DETACH DELETE e
