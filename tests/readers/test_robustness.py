"""No input crashes a reader: it returns records or a clear error naming the source."""

from hypothesis import given, settings, strategies as st

from kg.errors import ReadError
from kg.readers import READERS, read_records
from kg.records import EvaluationRecord

KEYS = ["eval_number:", "location:", "country:", "region:", "recommendations:", "title:", "url:", "themes:", "theme:", "x:"]
lines = st.lists(st.one_of(st.sampled_from(KEYS).map(lambda k: "- " + k), st.text(max_size=30).map(lambda t: "- " + t), st.text(max_size=30)), max_size=40)


def _check(items):
    for item in items:
        assert isinstance(item, (EvaluationRecord, ReadError))
        if isinstance(item, ReadError):
            assert item.source.startswith("fuzz") and item.reason


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(sorted(READERS)))
def test_arbitrary_bytes_never_crash_a_reader(content, form):
    _check(read_records("fuzz", content, form))


@settings(max_examples=150, deadline=None)
@given(lines)
def test_key_value_soup_never_crashes_the_text_reader(text_lines):
    _check(read_records("fuzz", "\n".join(text_lines).encode(), "text"))


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.integers(), st.text(max_size=10)),
                    lambda children: st.one_of(st.lists(children, max_size=4),
                                               st.dictionaries(st.sampled_from([k[:-1] for k in KEYS]), children, max_size=4)),
                    max_leaves=20))
def test_arbitrary_json_never_crashes_the_json_reader(value):
    import json
    _check(read_records("fuzz", json.dumps(value).encode(), "json"))
