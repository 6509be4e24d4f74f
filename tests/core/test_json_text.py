"""json_text.dumps writes json.dumps(..., indent=2)'s very text (the --json outputs are documented)."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from from_the_floor.core import json_text

TEXTS = ["", "a", 'quote " and \\ backslash /', "é, 日本, \U0001f600", "\x00\x1b[31m\u202e\u2028", "x" * 40]
NUMBERS = [0, -1, 10**20, 0.1, -0.0, 3.0, 1e300, float("nan"), float("inf"), -float("inf")]


def _value(rng: random.Random, depth: int = 0):
    pick = rng.randrange(9 if depth < 4 else 5)
    if pick == 0:
        return rng.choice(TEXTS)
    if pick == 1:
        return rng.choice(NUMBERS)
    if pick == 2:
        return rng.choice([None, True, False])
    if pick == 3:
        return rng.random()
    if pick == 4:
        return rng.choice([{}, [], ()])
    if pick in (5, 6):
        return {rng.choice(TEXTS) + str(n): _value(rng, depth + 1) for n in range(rng.randrange(1, 4))}
    if pick == 7:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(1, 4))]
    return tuple(_value(rng, depth + 1) for _ in range(rng.randrange(1, 3)))


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_the_same_text_as_json_dumps_with_an_indent_of_two(ensure_ascii: bool) -> None:
    rng = random.Random(20261206)
    for _ in range(3000):
        data = _value(rng)
        assert json_text.dumps(data, ensure_ascii=ensure_ascii) == json.dumps(
            data, indent=2, ensure_ascii=ensure_ascii
        ), data


def test_the_schedule_and_queue_shapes() -> None:
    plan = {
        "plan": [{"date": "2026-11-16T09:00:00+00:00", "questions": ["q-1", "q-2"], "dated": "slot"}],
        "last_post": None,
        "unanswered": 3,
        "retirement": {"when": None, "grace_days": 28, "enabled": False},
    }
    queue = [{"id": "q-1", "tags": [], "age_days": 4, "priority": 0, "source": None, "question": "Ça va?"}]
    assert json_text.dumps(plan) == json.dumps(plan, indent=2)
    assert json_text.dumps(queue, ensure_ascii=False) == json.dumps(queue, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("data", [{1: "a"}, {"a": {None: 1, True: 2}}, [1.5, {2.5: "x"}]])
def test_other_keys_are_written_by_json_itself(data) -> None:
    assert json_text.dumps(data) == json.dumps(data, indent=2)


def test_what_json_cannot_write_fails_as_json_dumps_does() -> None:
    with pytest.raises(TypeError):
        json_text.dumps({"day": dt.date(2026, 12, 6)})
