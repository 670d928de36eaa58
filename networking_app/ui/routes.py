"""Which screen a route shows: a table the app reads. A screen's module is imported when first shown (fast start-up)."""

from __future__ import annotations

from importlib import import_module

from .screens.base import Screen

SIMPLE = {
    "/welcome": "my_card:WelcomeScreen",
    "/card": "my_card:MyCardScreen",
    "/show": "my_card:ShowCardScreen",
    "/event": "event:EventScreen",
    "/scan": "scan:ScanScreen",
    "/people": "people:PeopleScreen",
    "/followups": "followups:FollowupsScreen",
    "/reflect": "reflect:ReflectScreen",
    "/intros": "intros:IntrosScreen",
    "/data": "data:DataScreen",
}
WITH_ID = {"person": "person:PersonScreen", "reflect": "reflect:ReflectScreen"}  # "/person/<id>"


def screen_class(target: str) -> type[Screen]:
    module, name = target.split(":")
    return getattr(import_module(f"{__package__}.screens.{module}"), name)


def lookup(route: str) -> tuple[type[Screen], tuple[str, ...]] | None:
    """The screen class ``route`` names and the id it carries, or None when it names no screen."""
    path = route.split("?", 1)[0].rstrip("/") or "/"
    if path in SIMPLE:
        return screen_class(SIMPLE[path]), ()
    head, _, rest = path.lstrip("/").partition("/")
    if head in WITH_ID and rest:
        return screen_class(WITH_ID[head]), (rest,)
    return None
