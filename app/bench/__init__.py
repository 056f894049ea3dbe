"""`lineage bench`: a synthetic lineage graph, the service's answers on it, and two baselines."""
