import time

import joblib
import numpy as np
import pytest
from sklearn.preprocessing import normalize

from projectoffice.matching import learned
from projectoffice.matching.coding import blend, class_of, classify
from projectoffice.matching.devset import Example, Fold, all_sources, is_goods, split_report, training_examples
from projectoffice.matching.learned import FEATURE_VERSION, MODEL_PATH, Labelled, LearnedCoder, ModelMismatch


def test_the_shipped_model_was_built_by_the_current_feature_pipeline() -> None:
    state = joblib.load(MODEL_PATH)
    assert state["version"] == FEATURE_VERSION
    coder = LearnedCoder.load(MODEL_PATH)
    texts = ["Поставка картриджей для лазерных принтеров", "Услуги по техническому обслуживанию лифтов", "Ноутбук"]
    expected = normalize(coder.pipeline.transform([learned.normalise(t) for t in texts]))
    assert np.allclose(coder.vectors(texts).toarray(), expected.toarray(), atol=1e-5)
    assert len(coder.classes) > 500  # every OKPD2 class the classifier names, not only those the data shows


def test_the_shipped_model_loads_in_well_under_a_second_and_is_small() -> None:
    started = time.process_time()  # this process's CPU time: other jobs on a busy machine do not count
    LearnedCoder.load(MODEL_PATH)
    assert time.process_time() - started < 1.0
    assert MODEL_PATH.stat().st_size < 20_000_000


def test_a_model_built_by_another_feature_version_is_refused_in_russian(tmp_path) -> None:
    state = joblib.load(MODEL_PATH)
    state["version"] = "old"
    path = tmp_path / "model.joblib"
    joblib.dump(state, path)
    with pytest.raises(ModelMismatch, match="переобучите её командой train_coder"):
        LearnedCoder.load(path)


def test_a_coder_fitted_on_a_few_texts_finds_their_classes_and_survives_saving(tmp_path) -> None:
    examples = [
        Labelled("Бумага офисная А4", "17.12", "t"),
        Labelled("Бумага для принтера", "17.12", "t"),
        Labelled("Бензин автомобильный АИ-95", "19.20", "t"),
        Labelled("Топливо дизельное", "19.20", "t"),
    ]
    coder = LearnedCoder.fit(examples)
    path = tmp_path / "model.joblib"
    coder.save(path)
    loaded = LearnedCoder.load(path)
    scores = loaded.top("Поставка бумаги А4")
    assert max(scores, key=scores.__getitem__) == "17.12"
    assert scores["17.12"] == 1.0
    assert loaded.top("zzz qqq") == {}  # no shared feature: no neighbour, no guess


def test_a_left_out_source_gives_no_text_to_the_training_set() -> None:
    left_out = {row.text for row in all_sources()["zh2022_price_offers"]}
    training = training_examples(leave_out=["zh2022_price_offers"])
    assert {e.source for e in training} == {
        "okpd2-names",
        "andreisaw_223fz_lots",
        "kpgz_mos_2020",
        "zh2022_industrial_directory",
        "ktru",
    }
    assert not left_out & {e.text for e in training if e.source != "okpd2-names"}


def test_the_blend_adds_classes_only_the_learned_half_proposes_as_the_class_code() -> None:
    blended = blend({"26.20": (10.0, "26.20.11.110")}, {"26.20": 0.5, "17.12": 1.0}, weight=0.5)
    assert blended == {"26.20": (0.75, "26.20.11.110"), "17.12": (0.5, "17.12")}


@pytest.mark.parametrize(
    ("text", "expected_class"),
    [
        ("Скрепки металлические 28 мм, 100 шт.", "25.99"),
        ("закупка страхование автомобиля каско", "65.12"),
    ],
)
def test_real_supplier_and_buyer_phrasings_reach_their_class_through_the_learned_half(text, expected_class) -> None:
    with_model = [class_of(c.code) for c in classify(text, scheme="okpd2", top=5)]
    assert expected_class in with_model


def test_goods_and_services_are_split_at_division_43() -> None:
    assert is_goods("43.21") and is_goods("01.11")
    assert not is_goods("45.20") and not is_goods("62.01")
    fold = Fold("s", [Example("a", "26.20", "s"), Example("b", "62.01", "s")], [["26.20"], ["63.11", "62.01"]])
    rows = {row.source: row for row in split_report([fold])}
    assert (rows["s"].at1, rows["s"].at5) == (0.5, 1.0)
    assert (rows["goods (01–43)"].size, rows["goods (01–43)"].at1) == (1, 1.0)
    assert (rows["services (45–99)"].at1, rows["services (45–99)"].at5) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("text", "expected_class"),
    [
        ("Бумага офисная А4, 500 листов", "17.12"),  # plainly goods
        ("Поставка бензина автомобильного АИ-92", "19.20"),
        ("Оказание услуг по уборке помещений поликлиники", "81.21"),  # a service
    ],
)
def test_the_shipped_model_puts_plain_goods_and_a_service_first_in_their_class(text, expected_class) -> None:
    assert class_of(classify(text, scheme="okpd2", top=5)[0].code) == expected_class


def test_a_small_source_is_not_outvoted_by_a_big_one_among_the_neighbours() -> None:
    big = [Labelled(f"Кабель силовой медный марка {i}", "27.32", "big") for i in range(16)]
    small = [Labelled("Кабель силовой медный", "26.30", "small")]
    coder = LearnedCoder.fit(big + small)
    assert coder.weights[-1] == pytest.approx(4 * coder.weights[0])  # 16 rows against 1: votes weigh 1/4 and 1
    balanced = coder.top("Кабель силовой медный")["26.30"]
    coder.weights = np.ones_like(coder.weights)  # every row one vote: the big source drowns the small one
    assert balanced > 3 * coder.top("Кабель силовой медный")["26.30"]
