// Families and their members (versions, sizes, variants), members of members included. Mirrors family_members.rq.
MATCH (m)-[:VARIANT_OF*1..10]->(f)
WHERE NOT EXISTS { MATCH (f)-[:VARIANT_OF]->() }
RETURN f.name AS family, m.name AS member
ORDER BY family, member
