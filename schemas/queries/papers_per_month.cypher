// Reviewed papers per month (first review date). Mirrors papers_per_month.rq.
MATCH (p:Paper) WHERE p.first_reviewed IS NOT NULL
RETURN left(toString(p.first_reviewed), 7) AS month, count(*) AS papers
ORDER BY month
