// v2 -> v3: nothing changes on Neo4j. LadybugDB adds the tables its new lineage edges are written to
// (cypher/ladybug/schema_migrate_2_to_3.cypher); Neo4j keeps one relationship type per kind of edge.
