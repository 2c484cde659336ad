from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from followup.anonymise.identity import normalise_name, normalise_phone
from followup.anonymise.pseudonym import pseudonym

KEY = b"k" * 32
words = st.lists(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя", min_size=1, max_size=12), min_size=1, max_size=4)


@given(words, st.randoms())
def test_name_order_case_and_yo_do_not_change_the_normalised_name(parts: list[str], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = parts[:]
    rnd.shuffle(shuffled)
    written = "  ".join(w.upper() if i % 2 else w for i, w in enumerate(shuffled)).replace("е", "ё")
    assert normalise_name(written) == normalise_name(" ".join(parts))


def test_a_real_name_in_three_spellings() -> None:
    a = normalise_name("Королёва Алёна Сергеевна")
    assert a == normalise_name("алена королева  сергеевна") == normalise_name("Королева, Алена Сергеевна.")
    assert a != normalise_name("Королева Алина Сергеевна")


def test_the_five_phone_formats_are_one_number() -> None:
    formats = ["+7 (912) 345-67-89", "89123456789", "8-912-345-67-89", "9123456789", "+79123456789"]
    assert {normalise_phone(f) for f in formats} == {"+79123456789"}
    assert normalise_phone("12") == ""
    assert normalise_phone("") == ""


@given(st.text(min_size=1, max_size=40))
def test_pseudonyms_are_stable_keyed_and_never_contain_the_input(text: str) -> None:
    p = pseudonym(KEY, "name", text)
    assert p == pseudonym(KEY, "name", text)
    assert p != pseudonym(b"x" * 32, "name", text)
    assert len(p) == 20 and all(c in "0123456789abcdef" for c in p)
