"""Full-text search over every text of the store: the index (`index`), searches (`searching`),
their syntax (`expression`), the language analysis (`analysis`), results as JSON and CSV
(`output`) and SPARQL's `ek:` functions (`functions`)."""
