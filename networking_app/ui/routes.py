"""Which screen a route shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .screens.base import Screen
from .screens.data import DataScreen
from .screens.event import EventScreen
from .screens.followups import FollowupsScreen
from .screens.intros import IntrosScreen
from .screens.my_card import MyCardScreen, ShowCardScreen, WelcomeScreen
from .screens.people import PeopleScreen
from .screens.person import PersonScreen
from .screens.reflect import ReflectScreen
from .screens.scan import ScanScreen

if TYPE_CHECKING:
    from .app import MutualApp

SIMPLE = {
    "/welcome": WelcomeScreen,
    "/card": MyCardScreen,
    "/show": ShowCardScreen,
    "/event": EventScreen,
    "/scan": ScanScreen,
    "/people": PeopleScreen,
    "/followups": FollowupsScreen,
    "/reflect": ReflectScreen,
    "/intros": IntrosScreen,
    "/data": DataScreen,
}


def screen_for(app: MutualApp, route: str) -> Screen:
    path = route.split("?", 1)[0].rstrip("/") or "/"
    if path in SIMPLE:
        return SIMPLE[path](app)
    head, _, rest = path.lstrip("/").partition("/")
    if head == "person" and rest:
        return PersonScreen(app, rest)
    if head == "reflect" and rest:
        return ReflectScreen(app, rest)
    return SIMPLE[app.landing_route(None)](app)
