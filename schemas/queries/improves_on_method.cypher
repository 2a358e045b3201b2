// Methods that improve on a given method (edit the name). Mirrors improves_on_method.rq.
MATCH (w)-[e:IMPROVES_ON]->(m:Method)
WHERE lower(m.name) = 'instantmesh'
RETURN coalesce(w.name, w.title) AS winner, e.confidence AS confidence, e.evidence AS evidence
ORDER BY winner
