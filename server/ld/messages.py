"""The words of the interface in its languages; data labels come from the data, not from here."""

from __future__ import annotations

from collections.abc import Mapping

# key: (English, Spanish, French)
_MESSAGES: dict[str, tuple[str, str, str]] = {
    "tagline": ("Evaluations of the ILO i-eval Discovery database, their recommendations, lessons learned "
                "and good practices, as linked data",
                "Las evaluaciones de la base i-eval Discovery de la OIT, sus recomendaciones, lecciones aprendidas "
                "y buenas prácticas, como datos enlazados",
                "Les évaluations de la base i-eval Discovery de l'OIT, leurs recommandations, enseignements tirés "
                "et bonnes pratiques, en données liées"),
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
    "void_hint": ("Figures, sources and terms of use in VoID and DCAT.",
                  "Cifras, fuentes y condiciones de uso en VoID y DCAT.",
                  "Chiffres, sources et conditions d'utilisation en VoID et DCAT."),
    "figures": ("The dataset in figures", "El conjunto de datos en cifras", "Le jeu de données en chiffres"),
    "triples": ("statements", "enunciados", "énoncés"),
    "subjects": ("described resources", "recursos descritos", "ressources décrites"),
    "graphs": ("source documents", "documentos fuente", "documents sources"),
    "start": ("Where to start", "Por dónde empezar", "Par où commencer"),
    "kind": ("Kind", "Tipo", "Type"),
    "count": ("Count", "Cantidad", "Nombre"),
    "evaluations": ("Evaluations", "Evaluaciones", "Évaluations"),
    "recommendations": ("Recommendations", "Recomendaciones", "Recommandations"),
    "lessons": ("Lessons learned", "Lecciones aprendidas", "Enseignements tirés"),
    "good-practices": ("Good practices", "Buenas prácticas", "Bonnes pratiques"),
    "countries": ("Countries", "Países", "Pays"),
    "regions": ("Regions", "Regiones", "Régions"),
    "projects": ("Projects", "Proyectos", "Projets"),
    "organizations": ("Organizations", "Organizaciones", "Organisations"),
    "funders": ("Funders", "Financiadores", "Bailleurs de fonds"),
    "persons": ("Evaluation managers", "Gestores de evaluaciones", "Gestionnaires d'évaluations"),
    "units": ("Administrative units", "Unidades administrativas", "Unités administratives"),
    "technical-units": ("Technical units", "Unidades técnicas", "Unités techniques"),
    "themes": ("Themes", "Temas", "Thèmes"),
    "categories": ("Categories", "Categorías", "Catégories"),
    "evaluation-types": ("Evaluation types", "Tipos de evaluación", "Types d'évaluation"),
    "evaluation-timings": ("Evaluation timings", "Momentos de la evaluación", "Moments de l'évaluation"),
    "evaluation-natures": ("Evaluation natures", "Naturalezas de la evaluación", "Natures de l'évaluation"),
    "named_in": ("Named in", "Nombrada en", "Nommée dans"),
    "classified": ("Classified here", "Clasificados aquí", "Classés ici"),
    "evaluations_and_recommendations": ("Evaluations and recommendations", "Evaluaciones y recomendaciones",
                                        "Évaluations et recommandations"),
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
    "section-classification": ("Classification", "Clasificación", "Classification"),
    "section-responsibility": ("Management and funding", "Gestión y financiación", "Gestion et financement"),
    "section-links": ("Related", "Relacionado", "Liens"),
    "section-items": ("Recommendations, lessons learned and good practices",
                      "Recomendaciones, lecciones aprendidas y buenas prácticas",
                      "Recommandations, enseignements tirés et bonnes pratiques"),
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
    "terms": ("Terms of use", "Condiciones de uso", "Conditions d'utilisation"),
    "data_terms": ("The data are the ILO's: records of its public i-eval Discovery database, published by the "
                   "ILO under its own terms. evalkg republishes them as linked data and claims no licence for them.",
                   "Los datos son de la OIT: registros de su base pública i-eval Discovery, publicados por la OIT "
                   "en sus propias condiciones. evalkg los republica como datos enlazados y no reivindica ninguna "
                   "licencia sobre ellos.",
                   "Les données sont celles de l'OIT : des notices de sa base publique i-eval Discovery, publiées "
                   "par l'OIT selon ses propres conditions. evalkg les republie en données liées et ne revendique "
                   "aucune licence sur elles."),
    "data": ("Data", "Datos", "Données"),
    "data_credit": ("ILO i-eval Discovery records (public), published by the ILO under its terms",
                    "registros de i-eval Discovery de la OIT (públicos), publicados por la OIT en sus condiciones",
                    "notices d'i-eval Discovery de l'OIT (publiques), publiées par l'OIT selon ses conditions"),
    "vocabulary_licence": ("evalkg ontology", "Ontología evalkg", "Ontologie evalkg"),
    "source": ("Source", "Fuente", "Source"),
    "endpoint": ("SPARQL endpoint", "Punto de acceso SPARQL", "Point d'accès SPARQL"),
    "classes": ("Classes", "Clases", "Classes"),
    "properties": ("Properties", "Propiedades", "Propriétés"),
    "instances": ("instances", "instancias", "instances"),
    "class": ("Class", "Clase", "Classe"),
    "property": ("Property", "Propiedad", "Propriété"),
    "query_intro": ("Query the knowledge graph of ILO evaluations and their recommendations, lessons learned and "
                    "good practices. From code, send SPARQL 1.1 Protocol requests to",
                    "Consulte el grafo de conocimiento de las evaluaciones de la OIT y sus recomendaciones, "
                    "lecciones aprendidas y buenas prácticas. Desde un programa, envíe solicitudes del protocolo "
                    "SPARQL 1.1 a",
                    "Interrogez le graphe de connaissances des évaluations de l'OIT, de leurs recommandations, "
                    "enseignements tirés et bonnes pratiques. Depuis un programme, envoyez des requêtes du "
                    "protocole SPARQL 1.1 à"),
    "query_limits": ("Queries see the merge of all named graphs as their default graph, run at most {timeout} s "
                     "and return at most {max_rows} rows.",
                     "Las consultas ven la unión de todos los grafos con nombre como grafo por defecto, duran como "
                     "máximo {timeout} s y devuelven como máximo {max_rows} filas.",
                     "Les requêtes voient la fusion de tous les graphes nommés comme graphe par défaut, durent au "
                     "plus {timeout} s et renvoient au plus {max_rows} lignes."),
    "examples": ("Example queries", "Consultas de ejemplo", "Exemples de requêtes"),
    "chart": ("Chart", "Gráfico", "Graphique"),
    "chart_first": ("The chart shows the first {shown} of {total} rows.",
                    "El gráfico muestra las primeras {shown} de {total} filas.",
                    "Le graphique montre les {shown} premières lignes sur {total}."),
    "search": ("Search", "Buscar", "Rechercher"),
    "search_label": ("Search every text", "Buscar en todos los textos", "Rechercher dans tous les textes"),
    "search_placeholder": ("lessons, recommendations, good practices…", "lecciones, recomendaciones, buenas prácticas…",
                           "enseignements, recommandations, bonnes pratiques…"),
    "search_help": ('Every word is required; "a phrase", prefix*, OR, -word (or NOT word) and parentheses work; '
                    "accents and case do not matter.",
                    'Todas las palabras son obligatorias; admite "una frase", prefijo*, OR, -palabra (o NOT palabra) '
                    "y paréntesis; no importan los acentos ni las mayúsculas.",
                    'Tous les mots sont requis ; "une expression", préfixe*, OR, -mot (ou NOT mot) et les '
                    "parenthèses fonctionnent ; ni les accents ni la casse ne comptent."),
    "search_none": ("Nothing found: try fewer words, a prefix (migra*) or OR.",
                    "No se encontró nada: pruebe con menos palabras, un prefijo (migra*) u OR.",
                    "Rien trouvé : essayez moins de mots, un préfixe (migra*) ou OR."),
    "results": ("Results", "Resultados", "Résultats"),
    "as_format": ("as", "en", "en"),
    "score": ("Relevance score (BM25)", "Puntuación de relevancia (BM25)", "Score de pertinence (BM25)"),
    "narrow": ("Narrow the results", "Acotar los resultados", "Affiner les résultats"),
    "selected": ("Narrowed to", "Acotado a", "Restreint à"),
    "remove": ("Remove", "Quitar", "Retirer"),
    "facet-kind": ("Kind", "Tipo", "Type"),
    "facet-region": ("Region", "Región", "Région"),
    "facet-country": ("Country", "País", "Pays"),
    "facet-theme": ("Theme", "Tema", "Thème"),
    "facet-agency": ("Agency named", "Organismo mencionado", "Organisme cité"),
    "facet-funder": ("Funder", "Financiador", "Bailleur de fonds"),
    "facet-year": ("Year", "Año", "Année"),
    "facet-response": ("Management response", "Respuesta de la dirección", "Réponse de la direction"),
    "facet-progress": ("Progress", "Avance", "Avancement"),
    "facet-language": ("Language of the text", "Idioma del texto", "Langue du texte"),
    "kind-evaluation": ("Evaluation", "Evaluación", "Évaluation"),
    "kind-recommendation": ("Recommendation", "Recomendación", "Recommandation"),
    "kind-lesson": ("Lesson learned", "Lección aprendida", "Enseignement tiré"),
    "kind-good-practice": ("Good practice", "Buena práctica", "Bonne pratique"),
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
    "https://schema.org/name": ("name", "nombre", "nom"),
    "http://www.w3.org/ns/org#subOrganizationOf": ("part of", "parte de", "fait partie de"),
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
