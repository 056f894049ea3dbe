// Which asset has this natural key, if the caller may see its namespace?
// :param key string
MATCH (a:Asset {key: $key})
WHERE {{visible(a)}}
RETURN a
