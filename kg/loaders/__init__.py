"""Loading a built graph into databases (Neo4j-compatible Bolt servers)."""
