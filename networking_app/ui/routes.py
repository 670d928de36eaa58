"""Which screen a route shows; a screen's module is imported when first shown (fast start-up)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .screens.base import Screen

if TYPE_CHECKING:
    from .app import MutualApp

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
WITH_ID = {"person": "person:PersonScreen", "reflect": "reflect:ReflectScreen"}


def screen_class(target: str) -> type[Screen]:
    module, name = target.split(":")
    return getattr(import_module(f"{__package__}.screens.{module}"), name)


def screen_for(app: MutualApp, route: str) -> Screen:
    path = route.split("?", 1)[0].rstrip("/") or "/"
    if path in SIMPLE:
        return screen_class(SIMPLE[path])(app)
    head, _, rest = path.lstrip("/").partition("/")
    if head in WITH_ID and rest:
        return screen_class(WITH_ID[head])(app, rest)  # type: ignore[call-arg]
    return screen_class(SIMPLE[app.landing_route(None)])(app)
