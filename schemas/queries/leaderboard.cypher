// Reported scores per benchmark: value, unit, the method as the review named it (none: the paper's own), the paper. Mirrors leaderboard.rq.
MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:MEASURED_ON]->(b)
RETURN b.name AS benchmark, r.value AS value, r.unit AS unit, r.method AS method, p.arxiv_id AS paper
ORDER BY benchmark, value DESC, paper, method
