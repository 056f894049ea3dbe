// How many reads and writes of this asset are recorded?
// :param key string
MATCH (e:Execution)-[r:READ|WROTE]->(a:Asset {key: $key})
RETURN count(r) AS total
