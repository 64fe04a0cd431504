"""Synthetic evaluation records shaped like the real ones, deterministic from a seed.

Record `i` of seed `s` depends only on `(s, i)`, so every input form (and every chunking of
the corpus into files) carries exactly the same records, and the corpus can be streamed to
any size without holding it in memory.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

EVAL_BASE = 100_000
RECOMMENDATION_BASE = 1_000_000
RECOMMENDATIONS_PER_EVALUATION = 6
BASE_URL = "https://webapps.ilo.org/ievaldiscovery"
LANGUAGES = ("en", "es", "fr")
LANGUAGE_WEIGHTS = (0.6, 0.25, 0.15)

# region → countries (name as the real pages spell it, ISO alpha-3 used as project area code)
COUNTRIES: dict[str, tuple[tuple[str, str], ...]] = {
    "Africa": (("Côte d'Ivoire", "CIV"), ("Mali", "MLI"), ("Burkina Faso", "BFA"), ("Senegal", "SEN"),
               ("Kenya", "KEN"), ("Ethiopia", "ETH"), ("Tanzania, United Republic of", "TZA"),
               ("Congo, Democratic Republic of the", "COD"), ("Cameroon", "CMR"), ("Zambia", "ZMB")),
    "Americas": (("Peru", "PER"), ("Ecuador", "ECU"), ("Colombia", "COL"), ("Brazil", "BRA"),
                 ("Bolivia (Plurinational State of)", "BOL"), ("Venezuela (Bolivarian Republic of)", "VEN"),
                 ("Guatemala", "GTM"), ("Honduras", "HND"), ("Mexico", "MEX"), ("Chile", "CHL")),
    "Arab States": (("Jordan", "JOR"), ("Lebanon", "LBN"), ("Iraq", "IRQ"),
                    ("occupied Palestinian territory", "PSE"), ("Yemen", "YEM"), ("Oman", "OMN")),
    "Asia and the Pacific": (("Viet Nam", "VNM"), ("Lao People's Democratic Republic", "LAO"),
                             ("Bangladesh", "BGD"), ("Nepal", "NPL"), ("Indonesia", "IDN"),
                             ("Philippines", "PHL"), ("Fiji", "FJI"), ("Myanmar", "MMR")),
    "Europe and Central Asia": (("Türkiye", "TUR"), ("Moldova, Republic of", "MDA"), ("Ukraine", "UKR"),
                                ("Serbia", "SRB"), ("Uzbekistan", "UZB"), ("Georgia", "GEO")),
}
INTERREGIONAL = "Interregional"
DONORS = ("USA", "EEC", "NET", "DEU", "GBR", "FIN", "NOR", "SWE", "CAN", "BRA", "UND", "ZZZ")
ADMIN_UNITS = ("DWT/CO-Lima", "DWT/CO-Dakar", "CO-Abidjan", "DWT/CO-Budapest", "CO-Ankara", "ACT/EMP",
               "ACTRAV", "MIGRANT", "FUNDAMENTALS", "EMPLOYMENT", "SOCPRO", "GED", "DWT/CO-Bangkok",
               "RO-Arab States/DWT-Beirut", "CO-Hanoi", "DWT/CO-New Delhi", "SKILLS", "PARDEV")
THEMES = {
    "Technical issues": ("Sustainability", "Capacity building", "Monitoring and evaluation", "Gender equality"),
    "Organizational issues": ("Partnerships", "Planning and programme design", "Resources and funding",
                              "Management arrangements"),
}
RESPONSES = ("Completed", "Partially completed", "Not completed", "No action taken", "Not applicable", "")
PROGRESS = ("Achieved", "Partially achieved", "Ongoing", "Not started", "")
SOURCES = ("Project", "Country Office", "Department", "Regional Office")

# agency names as each language writes them (several canonical, a few outside the gazetteer)
AGENCIES = {
    "en": ("UNHCR", "IOM", "UNDP", "UNICEF", "UN Women", "WHO", "FAO", "UNESCO", "UNFPA", "WFP", "OHCHR",
           "the World Bank", "the EU", "IDB", "the UN system", "PNUMA", "Pacific Islands Forum Secretariat"),
    "es": ("ACNUR", "OIM", "PNUD", "UNICEF", "ONU Mujeres", "OMS", "FAO", "UNESCO", "PMA", "el Banco Mundial",
           "la Unión Europea", "el BID", "el Sistema de Naciones Unidas", "R4V", "GTRM", "PNUMA"),
    "fr": ("HCR", "OIM", "PNUD", "UNICEF", "ONU Femmes", "OMS", "FAO", "UNESCO", "PAM", "HCDH",
           "la Banque mondiale", "l'Union européenne", "le système des Nations Unies", "UNESCO-UNEVOC"),
}
TITLE = {
    "en": ("{kind} independent evaluation of the ILO programme on {topic} in {places}",),
    "es": ("Evaluación {kind_es} independiente del programa de la OIT sobre {topic_es} en {places}",),
    "fr": ("Évaluation {kind_fr} indépendante du programme du BIT sur {topic_fr} en {places}",),
}
KINDS = (("Final", "final", "finale"), ("Mid-term", "intermedia", "à mi-parcours"),
         ("Clustered final", "agrupada final", "groupée finale"))
TOPICS = (("labour migration", "migración laboral", "la migration de main-d'œuvre"),
          ("child labour in supply chains", "trabajo infantil en las cadenas de suministro",
           "le travail des enfants dans les chaînes d'approvisionnement"),
          ("social protection and youth employment", "protección social y empleo juvenil",
           "la protection sociale et l'emploi des jeunes"),
          ("skills development for refugees", "desarrollo de competencias para personas refugiadas",
           "le développement des compétences des réfugiés"),
          ("formalisation of the informal economy", "formalización de la economía informal",
           "la formalisation de l'économie informelle"))
SENTENCES = {
    "en": ("The ILO should strengthen coordination with {a} and {b} so that the results are sustained after the project ends.",
           "Tripartite constituents should be involved earlier in the design of the next phase, together with {a}.",
           "A joint resource mobilisation strategy with {a} and {b} should be prepared for the national programme.",
           "The monitoring framework should include gender-disaggregated indicators agreed with {a}.",
           "Lessons from the pilot districts should be documented and shared with {a}, {b} and the Ministry of Labour.",
           "Employment services should be designed together with {a}, taking into account childcare needs."),
    "es": ("La OIT debería fortalecer la coordinación con {a} y {b} para que los resultados se mantengan al terminar el proyecto.",
           "Los mandantes tripartitos deberían participar antes en el diseño de la siguiente fase, junto con {a}.",
           "Se recomienda preparar con {a} y {b} una estrategia conjunta de movilización de recursos.",
           "El marco de seguimiento debería incluir indicadores desagregados por sexo acordados con {a}.",
           "Se sugiere documentar las lecciones de los distritos piloto y compartirlas con {a}, {b} y el Ministerio de Trabajo."),
    "fr": ("Le BIT devrait renforcer la coordination avec {a} et {b} afin que les résultats soient durables après la fin du projet.",
           "Les mandants tripartites devraient être associés plus tôt à la conception de la phase suivante, avec {a}.",
           "Une stratégie conjointe de mobilisation des ressources devrait être préparée avec {a} et {b}.",
           "Le cadre de suivi devrait comprendre des indicateurs ventilés par sexe, convenus avec {a}.",
           "Les enseignements des districts pilotes devraient être documentés et partagés avec {a}, {b} et le ministère du Travail."),
}
LINKED = {"en": "Linked to conclusions {c}.", "es": "Vinculado a Conclusión {c}.", "fr": "Lié aux conclusions {c}."}
AND = {"en": " and ", "es": " y ", "fr": " et "}


def _prose(rng: random.Random, language: str, sentences: int) -> str:
    agencies = AGENCIES[language]
    return " ".join(
        rng.choice(SENTENCES[language]).format(a=rng.choice(agencies), b=rng.choice(agencies))
        for _ in range(sentences)
    )


def _sentence_count(rng: random.Random) -> int:
    """Most texts are a few sentences; about one in fifty runs to thousands of characters."""
    return rng.randint(25, 40) if rng.random() < 0.02 else rng.randint(1, 6)


def _date(rng: random.Random) -> str:
    year, month, day = rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28)
    form = rng.random()
    if form < 0.7:
        return f"{year}-{month:02d}-{day:02d}"
    if form < 0.85:
        return f"{day:02d}/{month:02d}/{year}"
    return f"{year}-{month:02d}-{day:02d} 00:00:00.0"


def record(seed: int, index: int) -> dict[str, Any]:
    """The nested record (the JSON form) number `index` of the corpus of `seed`."""
    rng = random.Random(seed * 1_000_003 + index)
    eval_number = EVAL_BASE + index
    language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
    region = rng.choice(tuple(COUNTRIES))
    countries = rng.sample(COUNTRIES[region], rng.choices((1, 2, 3, 4), (0.55, 0.25, 0.12, 0.08))[0])
    interregional = len(countries) > 2 and rng.random() < 0.2
    kind, topic = rng.choice(KINDS), rng.choice(TOPICS)
    places = AND[language].join(name for name, _ in countries)
    title = rng.choice(TITLE[language]).format(
        kind=kind[0], kind_es=kind[1], kind_fr=kind[2], topic=topic[0], topic_es=topic[1], topic_fr=topic[2],
        places=places,
    )
    date = _date(rng)
    area = countries[0][1] if len(countries) == 1 else "R" + {"Africa": "AF", "Americas": "LA", "Arab States": "AB",
                                                              "Asia and the Pacific": "AS"}.get(region, "ER")
    symbols = [f"{area}/{rng.randint(12, 24):02d}/{rng.randint(1, 60):02d}/{rng.choice(DONORS)}"
               for _ in range(rng.randint(1, 3))]
    recommendations = []
    first_id = RECOMMENDATION_BASE + index * RECOMMENDATIONS_PER_EVALUATION
    count = rng.choices((1, 2, 3, 4, 5, 6), (0.3, 0.3, 0.15, 0.1, 0.1, 0.05))[0]
    for number in range(count):
        ordinal = rng.randint(1, 12)
        text = f"{ordinal}. {_prose(rng, language, _sentence_count(rng))}"
        if rng.random() < 0.8:
            linked = sorted(rng.sample(range(1, 12), rng.randint(1, 3)))
            joined = ", ".join(map(str, linked[:-1])) + (AND[language] if len(linked) > 1 else "") + str(linked[-1])
            text += " " + LINKED[language].format(c=joined)
        theme = rng.choice(tuple(THEMES))
        rec: dict[str, Any] = {
            "date": date,
            "themes": [{"theme": t, "category": rng.choice(THEMES[t])}
                       for t in [theme] + ([rng.choice(tuple(THEMES))] if rng.random() < 0.3 else [])],
        }
        if rng.random() < 0.85:
            rec["action_plan"] = _prose(rng, language, rng.randint(1, 4))
        rec["management_response"] = rng.choice(RESPONSES)
        rec["progress"] = rng.choice(PROGRESS)
        rec["admin_units"] = ", ".join(rng.sample(ADMIN_UNITS, rng.randint(1, 3)))
        rec["title"] = text
        if rng.random() < 0.9:
            rec["project_symbols"] = "; ".join(rng.sample(symbols, rng.randint(1, len(symbols))))
        rec["url"] = f"{BASE_URL}/recommendations/{first_id + number}"
        rec["information_source"] = rng.choice(SOURCES)
        recommendations.append(rec)
    locations = [{"country": name, "region": region} for name, _ in countries]
    if interregional:
        locations.append({"country": "", "region": INTERREGIONAL})
    return {
        "eval_number": eval_number,
        "eval_url": f"{BASE_URL}/eval/{eval_number}",
        "location": [{k: v for k, v in loc.items() if v} for loc in locations],
        "eval_title": title,
        "recommendations": recommendations,
    }


def records(seed: int, count: int, start: int = 0) -> Iterator[dict[str, Any]]:
    """Records `start` .. `start + count - 1` of the corpus of `seed`, one at a time."""
    for index in range(start, start + count):
        yield record(seed, index)
