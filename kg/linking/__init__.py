"""Linking: names found in records resolved to the dataset's IRIs (countries, agencies, projects).

Gazetteers are data beside the ontology (`ontology/*.csv`, `ontology/organizations.ttl`);
the modules here hold only the matching code.
"""
