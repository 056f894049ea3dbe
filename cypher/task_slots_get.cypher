// Which execution holds each of these outputs of a task slot (app/domain/keys.py: output_slot_key)?
// :param keys list<string>
UNWIND $keys AS k
MATCH (s:TaskSlot {key: k})
RETURN s
