"""Fragments kept in process memory in front of the shared cache, keyed by the data's stamp."""

from django.core.cache import cache

from layak.common.generations import bump, forget_memo, generation, generations_by_name, shared_value


def test_a_value_is_built_once_then_read_from_memory_even_without_the_shared_cache():
    built: list[int] = []

    def build() -> str:
        built.append(1)
        return f"<p>{len(built)}</p>"

    key = f"test-shared:{generation('test-shared')}"
    assert shared_value(key, build) == "<p>1</p>"
    cache.delete(key)
    assert shared_value(key, build) == "<p>1</p>" and len(built) == 1
    forget_memo()
    assert shared_value(key, build) == "<p>2</p>"  # a new process builds it again (the shared cache lost it)
    forget_memo()
    assert shared_value(key, build) == "<p>2</p>" and len(built) == 2  # another process reads the shared cache


def test_a_new_stamp_is_a_new_value():
    key = lambda: f"test-stamp:{generation('test-stamp')}"  # noqa: E731
    assert shared_value(key(), lambda: "old") == "old"
    bump("test-stamp")
    assert shared_value(key(), lambda: "new") == "new"


def test_memory_is_bounded(settings):
    settings.LAYAK_FRAGMENT_MEMO_ENTRIES = 2
    for n in range(3):
        shared_value(f"test-bound:{n}", lambda n=n: str(n))
    cache.delete_many([f"test-bound:{n}" for n in range(3)])
    assert shared_value("test-bound:0", lambda: "rebuilt") == "rebuilt"  # the oldest went
    assert shared_value("test-bound:2", lambda: "rebuilt") == "2"


def test_several_generations_are_read_together_and_missing_ones_start_from_the_clock(monkeypatch):
    bump("test-many-a")
    known = generation("test-many-a")
    calls: list[int] = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: calls.append(len(keys)) or real(keys))
    values = generations_by_name(["test-many-a", "test-many-b"])
    assert calls == [2] and values["test-many-a"] == known and values["test-many-b"] > 0
    assert generations_by_name(["test-many-b"])["test-many-b"] == values["test-many-b"]  # started once, then kept
    bump("test-many-b")
    assert generations_by_name(["test-many-a", "test-many-b"])["test-many-b"] == values["test-many-b"] + 1
