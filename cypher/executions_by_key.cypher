// The executions already recorded under these keys (the replays of a batch of recordings).
// :param keys list<string>
UNWIND $keys AS k
MATCH (e:Execution {key: k})
RETURN e
