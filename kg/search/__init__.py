"""Full-text search over every text of the store: the index (`index`), searches (`searching`),
their syntax (`expression`), the language analysis (`analysis`) and SPARQL's `ek:` functions
(`functions`)."""
