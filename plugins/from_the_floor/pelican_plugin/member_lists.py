"""Each tag's, category's and author's posts as a list that answers ``in`` at once.

Pelican's tag, category and author pages each pick their posts out of the
whole date-ordered list with ``[a for a in dates if a in articles]``, where
``articles`` is that tag's list: every post is looked for in every tag's
list, which grows with the square of the column (at 10,000 posts, about
3 s of every build, the weekly one included, in Pelican's own output step).

:class:`Members` is that same list, holding the same posts in the same
order, with ``in`` answered from a set of the posts' identities. A post is
equal only to itself (Pelican's content classes keep ``object``'s
equality), so the answer is the list's own; an item of a class with an
equality of its own is looked for the list's way. Any change to the list
forgets the set.
"""

from __future__ import annotations

from typing import Any


class Members(list):
    """A list of posts whose ``in`` is a set lookup (see the module's docstring)."""

    def __contains__(self, item: Any) -> bool:
        ids = self.__dict__.get("_ids")
        if ids is None:
            ids = self.__dict__["_ids"] = frozenset(map(id, self))
        if id(item) in ids:
            return True
        if type(item).__eq__ is object.__eq__:
            return False
        return list.__contains__(self, item)

    def __getstate__(self) -> None:
        # the set holds identities, which mean other objects (or none) once unpickled or copied
        return None


def _forgetting(name: str):
    method = getattr(list, name)

    def changed(self: Members, *args: Any, **kwargs: Any) -> Any:
        self.__dict__.pop("_ids", None)
        return method(self, *args, **kwargs)

    changed.__name__ = name
    return changed


for _name in (
    "append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
    "__setitem__", "__delitem__", "__iadd__", "__imul__",
):  # fmt: skip
    setattr(Members, _name, _forgetting(_name))


def index(generator) -> None:
    """article_generator_finalized: the taxonomies' lists become :class:`Members`, in place,
    so the generator and the context its pages are written from hold the same lists."""
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, posts in tags.items():  # (same keys: the dict may be changed as it is walked)
            if type(posts) is list:
                tags[tag] = Members(posts)
        if isinstance(generator.context.get("tags"), list):  # Pelican's copy of tags.items()
            generator.context["tags"] = list(tags.items())
    for name in ("categories", "authors"):
        pairs = getattr(generator, name, None)  # Pelican's context holds this very list
        if isinstance(pairs, list):
            for i, pair in enumerate(pairs):
                if isinstance(pair, tuple) and len(pair) == 2 and type(pair[1]) is list:
                    pairs[i] = (pair[0], Members(pair[1]))
