// Organisations by number of papers. Mirrors orgs_by_papers.rq.
MATCH (p:Paper)-[:PROPOSED_BY]->(o:Organization)
RETURN o.name AS organization, count(DISTINCT p) AS papers
ORDER BY papers DESC, organization
