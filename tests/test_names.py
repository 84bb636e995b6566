"""People's names in author lists: every form journal feeds print, order kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.names import parse_author_list, person_name
from kg.types import PersonName


def pairs(text: str) -> list[tuple[str, str]]:
    return [(n.family, n.given) for n in parse_author_list(text)[0]]


@pytest.mark.parametrize(
    ("text", "expected", "cut"),
    [
        # Vancouver (OUP <author>): family, bare initials; the final period ends the list
        (
            "Brandão S, Saeedi H, Brandt A.",
            [("Brandão", "S"), ("Saeedi", "H"), ("Brandt", "A")],
            False,
        ),
        (
            "Chen C, Zhou Y, Watanabe H, et al.",
            [("Chen", "C"), ("Zhou", "Y"), ("Watanabe", "H")],
            True,
        ),
        # bioRxiv: "Family, I." pairs; an upper-case family in a mixed list stays as written
        (
            "LAPALU, N., SIMON, A., Lu, A., Plaumann, P.-L., O'Connell, R. J.",
            [
                ("LAPALU", "N."),
                ("SIMON", "A."),
                ("Lu", "A."),
                ("Plaumann", "P.-L."),
                ("O'Connell", "R. J."),
            ],
            False,
        ),
        # IJSEM: natural order, commas and a final "and"
        (
            "Moritz K. Jansson, Silvio Hering and Michael E. J. Buhl",
            [("Jansson", "Moritz K."), ("Hering", "Silvio"), ("Buhl", "Michael E. J.")],
            False,
        ),
        (
            "Jane Doe, John Roe, and Ann Lee",
            [("Doe", "Jane"), ("Roe", "John"), ("Lee", "Ann")],
            False,
        ),
        ("Jane Doe & John Roe", [("Doe", "Jane"), ("Roe", "John")], False),
        # CNKI: ';'-separated, upper case marks the family (also a short one: "LI")
        (
            "Guocheng SHU;Ping LIU;Cheng LI;Yinmeng HOU;",
            [("SHU", "Guocheng"), ("LIU", "Ping"), ("LI", "Cheng"), ("HOU", "Yinmeng")],
            False,
        ),
        ("ZHANG Yinpeng; LI Cheng", [("ZHANG", "Yinpeng"), ("LI", "Cheng")], False),
        # "Family, Given" alone (WoRMS, Cambridge, Ingenta)
        ("Gómez-Noguera, Samuel Enrique", [("Gómez-Noguera", "Samuel Enrique")], False),
        ("Sant’Ana, Josué", [("Sant’Ana", "Josué")], False),
        ("Doe, John; Roe, Jane", [("Doe", "John"), ("Roe", "Jane")], False),
        ("Smith, John and Doe, Jane", [("Smith", "John"), ("Doe", "Jane")], False),
        # all upper case: title-cased, particles lower, Mc/O' kept sensible
        ("SMITH, JOHN", [("Smith", "John")], False),
        ("ERKI ÕUNAP", [("Õunap", "Erki")], False),
        ("SEI-WOONG CHOI", [("Choi", "Sei-Woong")], False),
        ("VAN DER BERG, JAN", [("van der Berg", "Jan")], False),
        ("JOHN MCDONALD AND MARY O'BRIEN", [("McDonald", "John"), ("O'Brien", "Mary")], False),
        ("SMITH J, WANG JY", [("Smith", "J"), ("Wang", "JY")], False),
        ("YU LI", [("Li", "Yu")], False),
        # honorifics, degrees, suffixes, particles
        ("Dr. Jane Doe, PhD, and Prof. John Roe, MD", [("Doe", "Jane"), ("Roe", "John")], False),
        ("Jane Doe PhD", [("Doe", "Jane")], False),
        ("Smith, John, Jr.", [("Smith Jr.", "John")], False),
        ("Martin Luther King Jr.", [("King Jr.", "Martin Luther")], False),
        ("John Smith III and Ann Lee", [("Smith III", "John"), ("Lee", "Ann")], False),
        (
            "Cássio van den Berg, Barbara Van Der Pol, Juan de la Cruz, Luiz Menini Neto",
            [
                ("van den Berg", "Cássio"),
                ("Van Der Pol", "Barbara"),
                ("de la Cruz", "Juan"),
                ("Menini Neto", "Luiz"),
            ],
            False,
        ),
        ("Smith MA, Jones MD", [("Smith", "MA"), ("Jones", "MD")], False),
        # group authors are one name, all family
        (
            "The Brazil Flora Group, Janaína Gomes‐da‐Silva",
            [("The Brazil Flora Group", ""), ("Gomes‐da‐Silva", "Janaína")],
            False,
        ),
        (
            "Jane Doe, the ATLAS Collaboration",
            [("Doe", "Jane"), ("the ATLAS Collaboration", "")],
            False,
        ),
        # prefixes and "et al." spellings
        ("Author(s): David R. Bickel", [("Bickel", "David R.")], False),
        ("By Jane Doe and others", [("Doe", "Jane")], True),
        ("Hines, P. J. et al", [("Hines", "P. J.")], True),
        ("", [], False),
        ("et al.", [], True),
    ],
)
def test_author_list_forms(text, expected, cut):
    names, truncated = parse_author_list(text)
    assert [(n.family, n.given) for n in names] == expected
    assert truncated is cut


def test_whitespace_and_newlines_inside_a_list():
    """Wiley joins names with ", \\n"; thin spaces sit inside initials."""
    assert pairs("Rachel M. Binks, \nMargaret Heslewood, \nVanessa\u2009L. Lima") == [
        ("Binks", "Rachel M."),
        ("Heslewood", "Margaret"),
        ("Lima", "Vanessa L."),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe", PersonName("Doe", "Jane")),
        ("Doe, Jane", PersonName("Doe", "Jane")),
        ("Doe J", PersonName("Doe", "J")),
        ("J. Doe", PersonName("Doe", "J.")),
        ("B. Scott Gaudi", PersonName("Gaudi", "B. Scott")),
        ("Peter H. N. de With", PersonName("de With", "Peter H. N.")),
        ("Prof. Ludwig van Beethoven, PhD", PersonName("van Beethoven", "Ludwig")),
        ("DOE, JANE", PersonName("Doe", "Jane")),
        ("Madonna", PersonName("Madonna", "")),
        (
            "The Human Microbiome Project Consortium",
            PersonName("The Human Microbiome Project Consortium", ""),
        ),
        ("King Jr., Martin Luther", PersonName("King Jr.", "Martin Luther")),
    ],
)
def test_person_name(text, expected):
    assert person_name(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "PhD", "...", "1234", ", ;"])
def test_person_name_without_a_name(text):
    assert person_name(text) is None


given_names = st.sampled_from(["Jane", "John", "Ann", "Bo", "José Raúl", "Zoë", "Jean-Pierre"])
family_names = st.sampled_from(["Doe", "Roe", "Lee", "Murgaš", "O’Neil", "Stöhrmann", "Kaňuch"])
people = st.lists(st.tuples(given_names, family_names), min_size=1, max_size=8)


@settings(max_examples=200)
@given(people, st.sampled_from([", ", "; "]), st.booleans(), st.booleans())
def test_order_and_names_survive_any_joining(names, separator, final_and, et_al):
    written = [f"{g} {f}" for g, f in names]
    text = separator.join(written)
    if final_and and len(written) > 1:
        text = separator.join(written[:-1]) + " and " + written[-1]
    if et_al:
        text += " et al."
    parsed, truncated = parse_author_list(text)
    assert [(n.given, n.family) for n in parsed] == names
    assert truncated is et_al


@settings(max_examples=200)
@given(people)
def test_inverted_pairs_keep_order(names):
    text = ", ".join(f"{f}, {g[0]}." for g, f in names)
    assert [n.family for n in parse_author_list(text)[0]] == [f for _, f in names]


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_any_text_never_crashes_and_gives_no_empty_names(text):
    names, _ = parse_author_list(text)
    for name in names:
        assert name.family.strip()
        assert name.family == name.family.strip()
    single = person_name(text)
    assert single is None or single.family.strip()
