import io
import json

import pytest
from django.core.management import CommandError, call_command

from projectoffice.matching.coding import class_of, classify
from projectoffice.matching.devset import development_report, ktru_examples
from projectoffice.matching.text import lemmas


def test_lemmas_fold_word_forms_and_drop_stop_words() -> None:
    assert lemmas("Поставка компьютеров для нужд школ") == ["компьютер", "школа"]
    assert lemmas("ЁЛКИ и ёлки") == ["елка", "елка"]


@pytest.mark.parametrize(
    ("text", "expected_class"),
    [
        ("Разработка мобильного приложения для жителей", "62.01"),
        ("Поставка ноутбуков для школ", "26.20"),
        ("Оказание услуг по технической поддержке информационной системы", "62.02"),
        ("Маршрутизатор", "26.30"),
        ("Поставка бензина АИ-92", "19.20"),
    ],
)
def test_typical_procurement_texts_get_the_right_okpd2_class_in_the_top_three(text: str, expected_class: str) -> None:
    assert expected_class in [class_of(c.code) for c in classify(text, scheme="okpd2", top=3)]


def test_okved2_coding_uses_the_activity_classifier() -> None:
    codes = classify("Разработка программного обеспечения на заказ", scheme="okved2", top=3)
    assert class_of(codes[0].code) == "62.01"
    assert codes[0].score == 1.0 and all(0 < c.score <= 1 for c in codes)


def test_top_results_are_distinct_classes() -> None:
    classes = [class_of(c.code) for c in classify("Поставка компьютерной техники и принтеров", scheme="okpd2", top=5)]
    assert len(classes) == len(set(classes)) == 5


@pytest.mark.parametrize("text", ["", "   ", "!!! ??? ...", "x" * 100_000])
def test_empty_odd_or_huge_texts_answer_without_error(text: str) -> None:
    assert classify(text, scheme="okpd2", top=5) == []  # no words a classifier knows: no guess


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="okpd2 or okved2"):
        classify("текст", scheme="okato")


def test_the_command_reads_and_writes_json_lines(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": 1, "text": "Поставка ноутбуков"}\n'
        '{"id": "b", "text": "Разработка сайта"}\n'
        "not json\n"
        '{"id": 3}\n'
        '{"id": 4, "text": ""}\n',
        encoding="utf-8",
    )
    call_command("classify", "--scheme", "okpd2", "--top", "2", "--input", str(source))
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [row["id"] for row in rows] == [1, "b", 4]
    assert len(rows[0]["codes"]) == 2 and set(rows[0]["codes"][0]) == {"code", "score"}
    assert rows[2]["codes"] == []
    assert "строка 3" in captured.err and "строка 4" in captured.err


def test_the_command_reads_stdin_by_default(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": 9, "text": "Ремонт автомобилей"}\n'))
    call_command("classify", "--scheme", "okved2", "--top", "1")
    assert json.loads(capsys.readouterr().out)["id"] == 9


def test_the_command_refuses_a_missing_file_and_a_bad_top() -> None:
    with pytest.raises(CommandError, match="не удаётся открыть"):
        call_command("classify", "--scheme", "okpd2", "--input", "/nonexistent.jsonl")
    with pytest.raises(CommandError, match="--top"):
        call_command("classify", "--scheme", "okpd2", "--top", "0", "--input", "/dev/null")


def test_the_development_set_is_built_from_real_records() -> None:
    examples = ktru_examples()
    assert len(examples) >= 15
    assert ("Ноутбук", "26.20") in {(e.text, e.label) for e in examples}


def test_accuracy_beats_plain_bm25_on_real_buyer_texts_and_okved() -> None:
    ours = {a.source: a for a in development_report(held_out_size=200)}
    baseline = {a.source: a for a in development_report(held_out_size=200, baseline=True)}
    assert ours["ktru"].at1 > baseline["ktru"].at1
    assert ours["okved2-held-out"].at1 > baseline["okved2-held-out"].at1 + 0.1
    assert ours["okpd2-held-out"].at5 >= 0.85
