"""The words of the interface in its languages; data labels come from the data, not from here."""

from __future__ import annotations

from collections.abc import Mapping

# key: (English, Spanish, French)
_MESSAGES: dict[str, tuple[str, str, str]] = {
    "tagline": ("Evaluations of the ILO i-eval Discovery database and their recommendations, as linked data",
                "Las evaluaciones de la base i-eval Discovery de la OIT y sus recomendaciones, como datos enlazados",
                "Les évaluations de la base i-eval Discovery de l'OIT et leurs recommandations, en données liées"),
    "home": ("Home", "Inicio", "Accueil"),
    "browse": ("Browse", "Explorar", "Parcourir"),
    "query": ("SPARQL query", "Consulta SPARQL", "Requête SPARQL"),
    "query_hint": ("Ask your own questions of the graph in SPARQL.",
                   "Haga sus propias preguntas al grafo en SPARQL.",
                   "Posez vos propres questions au graphe en SPARQL."),
    "dumps": ("Downloads", "Descargas", "Téléchargements"),
    "dumps_hint": ("The whole dataset as Turtle and N-Quads files, with checksums.",
                   "El conjunto de datos completo en archivos Turtle y N-Quads, con sumas de control.",
                   "Le jeu de données complet en fichiers Turtle et N-Quads, avec sommes de contrôle."),
    "void": ("Dataset description", "Descripción del conjunto de datos", "Description du jeu de données"),
    "void_hint": ("Figures, licence and sources in VoID and DCAT.",
                  "Cifras, licencia y fuentes en VoID y DCAT.",
                  "Chiffres, licence et sources en VoID et DCAT."),
    "figures": ("The dataset in figures", "El conjunto de datos en cifras", "Le jeu de données en chiffres"),
    "triples": ("statements", "enunciados", "énoncés"),
    "subjects": ("described resources", "recursos descritos", "ressources décrites"),
    "graphs": ("source documents", "documentos fuente", "documents sources"),
    "start": ("Where to start", "Por dónde empezar", "Par où commencer"),
    "kind": ("Kind", "Tipo", "Type"),
    "count": ("Count", "Cantidad", "Nombre"),
    "evaluations": ("Evaluations", "Evaluaciones", "Évaluations"),
    "recommendations": ("Recommendations", "Recomendaciones", "Recommandations"),
    "countries": ("Countries", "Países", "Pays"),
    "regions": ("Regions", "Regiones", "Régions"),
    "projects": ("Projects", "Proyectos", "Projets"),
    "organizations": ("Organizations", "Organizaciones", "Organisations"),
    "units": ("Administrative units", "Unidades administrativas", "Unités administratives"),
    "themes": ("Themes", "Temas", "Thèmes"),
    "categories": ("Categories", "Categorías", "Catégories"),
    "response-statuses": ("Management response statuses", "Estados de la respuesta de la dirección",
                          "États de la réponse de la direction"),
    "progress-statuses": ("Progress statuses", "Estados de avance", "États d'avancement"),
    "showing": ("{first}–{last} of {total}", "{first}–{last} de {total}", "{first}–{last} sur {total}"),
    "none_yet": ("Nothing here yet.", "Nada aquí todavía.", "Rien ici pour l'instant."),
    "page": ("Page {page} of {pages}", "Página {page} de {pages}", "Page {page} sur {pages}"),
    "previous": ("Previous", "Anterior", "Précédente"),
    "next": ("Next", "Siguiente", "Suivante"),
    "first": ("First", "Primera", "Première"),
    "last": ("Last", "Última", "Dernière"),
    "filtered_by": ("that {property}: {target}", "con {property}: {target}", "avec {property} : {target}"),
    "iri": ("IRI", "IRI", "IRI"),
    "as_rdf": ("This description as", "Esta descripción en", "Cette description en"),
    "ieval_page": ("Page in i-eval Discovery", "Página en i-eval Discovery", "Page dans i-eval Discovery"),
    "section-identification": ("Identification", "Identificación", "Identification"),
    "section-content": ("Content", "Contenido", "Contenu"),
    "section-links": ("Related", "Relacionado", "Liens"),
    "section-names": ("Names", "Nombres", "Noms"),
    "section-provenance": ("Sources and identity", "Fuentes e identidad", "Sources et identité"),
    "section-other": ("Other statements", "Otros enunciados", "Autres énoncés"),
    "section-incoming": ("Referred to by", "Mencionado por", "Cité par"),
    "see_all": ("all {count}", "los {count}", "les {count}"),
    "graph_size": ("Named graph of {count} statements.", "Grafo con nombre de {count} enunciados.",
                   "Graphe nommé de {count} énoncés."),
    "not_found": ("Not found", "No encontrado", "Introuvable"),
    "not_found_text": ("There is no resource {iri} in this dataset.",
                       "No hay ningún recurso {iri} en este conjunto de datos.",
                       "Il n'y a pas de ressource {iri} dans ce jeu de données."),
    "page_not_found": ("There is no page at this address.", "No hay ninguna página en esta dirección.",
                       "Il n'y a pas de page à cette adresse."),
    "language": ("Language", "Idioma", "Langue"),
    "file": ("File", "Archivo", "Fichier"),
    "size": ("Size", "Tamaño", "Taille"),
    "media_type": ("Media type", "Tipo de medio", "Type de média"),
    "checksum": ("SHA-256", "SHA-256", "SHA-256"),
    "no_dumps": ("No dump has been published here yet: run `kg dump`.",
                 "Aún no se ha publicado ningún volcado aquí: ejecute `kg dump`.",
                 "Aucun export n'est encore publié ici : lancez `kg dump`."),
    "licence": ("Licence", "Licencia", "Licence"),
    "source": ("Source", "Fuente", "Source"),
    "endpoint": ("SPARQL endpoint", "Punto de acceso SPARQL", "Point d'accès SPARQL"),
    "classes": ("Classes", "Clases", "Classes"),
    "properties": ("Properties", "Propiedades", "Propriétés"),
    "instances": ("instances", "instancias", "instances"),
    "class": ("Class", "Clase", "Classe"),
    "property": ("Property", "Propiedad", "Propriété"),
}
_INDEX = {"en": 0, "es": 1, "fr": 2}


def messages(language: str) -> Mapping[str, str]:
    """The interface's words in one of its languages (English for any other)."""
    index = _INDEX.get(language, 0)
    return {key: texts[index] for key, texts in _MESSAGES.items()}


# Names of the terms evalkg reuses from other vocabularies, which its ontology does not label.
_TERMS: dict[str, tuple[str, str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("type", "tipo", "type"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("label", "etiqueta", "étiquette"),
    "http://www.w3.org/2000/01/rdf-schema#comment": ("comment", "comentario", "commentaire"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("name", "nombre", "nom"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("also known as", "también llamado", "aussi appelé"),
    "http://www.w3.org/2004/02/skos/core#hiddenLabel": ("other spelling", "otra grafía", "autre graphie"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("in scheme", "en el esquema", "dans le schéma"),
    "http://www.w3.org/2004/02/skos/core#broader": ("broader", "más amplio", "plus large"),
    "http://purl.org/dc/terms/title": ("title", "título", "titre"),
    "http://purl.org/dc/terms/date": ("date", "fecha", "date"),
    "http://purl.org/dc/terms/source": ("source", "fuente", "source"),
    "http://purl.org/dc/terms/spatial": ("place", "lugar", "lieu"),
    "http://purl.org/dc/terms/description": ("description", "descripción", "description"),
    "https://schema.org/url": ("i-eval Discovery page", "página en i-eval Discovery", "page i-eval Discovery"),
    "http://www.w3.org/2002/07/owl#sameAs": ("same as", "igual a", "identique à"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("derived from", "derivado de", "dérivé de"),
    "http://www.w3.org/ns/prov#generatedAtTime": ("ingested at", "ingerido el", "ingéré le"),
    "http://www.w3.org/ns/org#unitOf": ("unit of", "unidad de", "unité de"),
}


def term_label(iri: str, language: str) -> str | None:
    """The interface's name for a reused vocabulary term, or None."""
    texts = _TERMS.get(iri)
    return texts[_INDEX.get(language, 0)] if texts else None
