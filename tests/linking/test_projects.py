from kg.linking.projects import ProjectSymbol, decode_symbol, load_donors


def test_symbol_parts_are_decoded():
    assert decode_symbol(" RLA/19/03/USA ") == ProjectSymbol("RLA/19/03/USA", "RLA", 2019, "03", "USA")
    assert decode_symbol("INT/98/101/NOR").year == 1998


def test_other_shapes_are_kept_whole():
    assert decode_symbol("GLO-FAIR-2020") == ProjectSymbol("GLO-FAIR-2020")


def test_donor_codes_known_and_unknown():
    donors = load_donors()
    assert donors["USA"].country_alpha3 == "USA"
    assert "ZZZ" not in donors
