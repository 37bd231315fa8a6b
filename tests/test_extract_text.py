"""Text handling of the extractor: folding, sentences, headings, typography."""

import pytest

from graph.extract.rules import load_rules
from graph.extract.text import SpanIndex, clean_quote, fold, is_title_case, sentences, squeeze


def test_fold_maps_every_character_back_to_the_stored_text():
    text = "L’Élysée\u00a0« Ouïghours »"
    folded, offsets = fold(text)
    assert folded == "l'elysee « ouighours »"
    assert len(offsets) == len(folded) + 1
    assert text[offsets[folded.index("ouighours")]] == "O"


def test_squeeze_makes_glued_and_spaced_names_meet():
    assert squeeze("Sense Time")[0] == squeeze("SenseTime")[0] == squeeze("Sense-Time")[0] == "sensetime"
    assert squeeze("fédéralesaméricaines")[0] == squeeze("fédérales américaines")[0]


def test_sentences_split_glued_sentences_but_keep_ellipsis_cuts_in_quotes():
    fr = load_rules("fr")
    text = "la sécurité nationale.Si l'administration a dit. « Cette mesure […] ne sera pas utilisée »."
    parts = [s.text for s in sentences(text, starters=fr.starters, abbreviations=fr.abbreviations)]
    assert parts[0] == "la sécurité nationale."
    assert parts[1].startswith("Si l'administration")
    assert any("[…] ne sera pas" in p for p in parts)


def test_a_related_article_headline_glued_to_a_sentence_is_a_heading():
    fr = load_rules("fr")
    text = ("Comment Pékin utilise une appli mobile pour traquer les musulmans ouïghours En étant placées "
            "sur liste noire, ces entreprises ne pourront plus importer.")
    segments = sentences(text, starters=fr.starters, abbreviations=fr.abbreviations)
    assert [s.heading for s in segments] == [True, False]
    assert segments[0].text.endswith("ouïghours")
    assert text[segments[1].start:segments[1].end].startswith("En étant placées")


def test_a_surname_particle_after_a_first_name_starts_no_sentence():
    fr = load_rules("fr")
    text = "Le ministre de l’Economie Bruno Le Maire a annoncé un contrôle. Selon Jean-Yves Le Drian, rien ne change."
    segments = sentences(text, starters=fr.starters, abbreviations=fr.abbreviations)
    assert [s.heading for s in segments] == [False, False]
    assert segments[0].text.startswith("Le ministre") and "Bruno Le Maire a annoncé" in segments[0].text
    # a heading glued before "Le groupe" is still set aside: "groupe" is no surname
    glued = sentences("Sanctions contre Huawei Le groupe chinois a réagi.", starters=fr.starters,
                      abbreviations=fr.abbreviations)
    assert [s.heading for s in glued] == [True, False]


def test_abbreviations_do_not_end_sentences():
    en = load_rules("en")
    parts = sentences("Xiamen Meiya Pico Information Co. Ltd. is listed. Next one.", starters=en.starters,
                      abbreviations=en.abbreviations)
    assert [s.text for s in parts] == ["Xiamen Meiya Pico Information Co. Ltd. is listed.", "Next one."]


def test_clean_quote_trims_quotation_marks_and_no_break_spaces():
    text = "«\u00a0Le texte\u00a0»"
    start, end = clean_quote(text, 0, len(text))
    assert text[start:end] == "Le texte"


def test_span_index_answers_overlaps_like_a_linear_scan():
    spans = [(0, 3), (5, 9), (20, 25)]
    index = SpanIndex(spans)
    for start in range(0, 30):
        for end in range(start + 1, 31):
            assert index.overlaps(start, end) == any(s < end and start < e for s, e in spans)


@pytest.mark.parametrize("line, title", [
    ("Dutch Government Seizes Control of Chipmaker Amid Security Concerns", True),
    ("UK Russian Sanctions Expanded Following G7 Summit", True),
    ("The Dutch government seized control of Nexperia.", False),
    ("Le Royaume-Uni sanctionne le secteur énergétique russe", False),
    # a listed name holds commas, or is too short to tell
    ("Beijing Sensetime Technology Development Co., Ltd.", False),
    ("Megvii Technology", False),
])
def test_a_title_in_title_case_is_told_from_a_sentence_and_a_listed_name(line, title):
    assert is_title_case(line) is title
