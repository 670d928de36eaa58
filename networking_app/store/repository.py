"""What the store's repositories share: the store they belong to, and its lock."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .store import Store

F = TypeVar("F", bound=Callable[..., Any])


def synchronized(method: F) -> F:
    """Run a public method under the store's lock, on indexes fresh from disk.

    The UI calls the store from worker threads; one lock keeps indexes coherent.
    """

    @functools.wraps(method)
    def wrapper(self: Repository, *args: Any, **kwargs: Any) -> Any:
        records = self._records
        with records.mutex:
            records.fresh()
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class Repository:
    """The domain operations on one kind of record; reads and writes go through ``store.records``.

    Repositories reach each other through the store (a scan asks ``store.events`` for the
    running event), always under the one lock.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._records = store.records
