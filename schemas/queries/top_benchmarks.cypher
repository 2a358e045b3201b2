// Benchmarks most evaluated on (number of papers). Mirrors top_benchmarks.rq.
MATCH (p:Paper)-[:EVALUATED_ON]->(b:Benchmark)
RETURN b.name AS benchmark, count(DISTINCT p) AS papers
ORDER BY papers DESC, benchmark LIMIT 20
