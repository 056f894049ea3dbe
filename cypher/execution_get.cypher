// Which execution has this natural key (tenant/execution id)?
// :param key string
MATCH (e:Execution {key: $key})
RETURN e
