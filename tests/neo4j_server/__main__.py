"""`python -m tests.neo4j_server`: run the test Neo4j until Ctrl-C (prints its Bolt URI)."""

from tests.neo4j_server import main

main()
