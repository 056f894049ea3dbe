// The stored flows of a batch of recordings, for the tasks of their latest revisions.
// :param keys list<string>
UNWIND $keys AS k
MATCH (f:Flow {key: k})
RETURN f
