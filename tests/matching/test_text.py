from projectoffice.matching.text import lemmas


def test_the_demo_mark_and_boilerplate_phrases_are_not_topics() -> None:
    words = lemmas("ООО «Жигули Диджитал» (демо) предлагает решение на основе технологий компьютерного зрения")
    assert "демо" not in words and "дть" not in words
    assert "предлагать" not in words and "основа" not in words
    assert {"решение", "технология", "компьютерный", "зрение"} <= set(words)
