"""A small, realistic store for screenshots, demos and end-to-end tests.

Usage: uv run python -m tools.demo_data DATA_DIR   (refuses a folder that already holds a store)
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from networking_app.models import Card, MyCard
from networking_app.store import Store

ME = MyCard(given="Ana", family="Lima", formatted="Ana Lima", title="Staff Engineer", organization="Lima Labs",
            emails=["ana@lima.example"], urls=["https://www.linkedin.com/in/ana-lima"],
            offers="Python mentoring, intros to climate-tech founders", seeking="a technical co-founder for a battery startup",
            label="Work", is_default=True)

PEOPLE = [
    (Card(given="Bob", family="Stone", title="CTO", organization="Stone Labs", emails=["bob@stone.example"],
          phones=["+44 20 7946 0101"], urls=["https://stone.example"],
          offers="intros to hardware investors", seeking="a Python contractor for three months"),
     dict(need="a Python contractor for three months", help="intro to Grace, who freelances", promise="send Grace's email")),
    (Card(given="Chiara", family="Rossi", title="Founder", organization="Verde Energy", emails=["chiara@verde.example"],
          offers="battery chemistry expertise", seeking="seed funding and a UX designer"),
     dict(need="seed funding", help="", promise="")),
    (Card(given="Dev", family="Patel", title="Angel investor", organization="", emails=["dev@angels.example"],
          offers="early-stage investment in climate tech, seed rounds", seeking="founders working on energy storage"),
     None),
    (Card(given="Elena", family="García", title="UX designer", organization="Freelance", emails=["elena@design.example"],
          offers="UX design, user research", seeking="clients in climate tech"),
     None),
    (Card(given="Farid", family="Haddad", title="Student", organization="TU Berlin", emails=["farid@tu.example"],
          offers="data analysis", seeking="Python mentoring and a summer internship"),
     dict(need="Python mentoring", help="weekly mentoring call", promise="book our first call")),
]
TAGS = {"Bob": ["hiring"], "Chiara": ["climate", "founder"], "Dev": ["climate", "investor"]}


def seed(folder: Path, *, notes: bool = True, end_event: bool = True) -> Store:
    store = Store.open(folder, daily_backup=False)
    store.cards.save(ME)
    past = store.events.start("Climate Tech Meetup", place="Berlin", day=(date.today() - timedelta(days=14)).isoformat(),
                             intention="meet 3 people, help one")
    store.people.record_scan(PEOPLE[3][0])
    store.events.end()
    store.events.save(_reflected(store.events.get(past.id)))
    store.events.start("PyCon Berlin", place="bcc Berlin", intention="meet 5 people, help two")
    for card, note in PEOPLE:
        result = store.people.record_scan(card)
        if card.given in TAGS:
            store.people.set_tags(result.contact.id, TAGS[card.given])
        if notes and note:
            due = date.today() + timedelta(days=1 if note["promise"] else 5)
            store.meetings.save_note(result.meeting.id, **note, follow_up=due)
    if end_event:
        store.events.end()
    return store


def _reflected(event):  # type: ignore[no-untyped-def]
    event.went_well = "Two good conversations about storage"
    event.comfort = 2
    event.help_first = "Elena"
    return event


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if (target / "mutual.json").exists():
        sys.exit(f"{target} already holds a Mutual store; choose an empty folder.")
    seed(target).close()
    print(f"Seeded a demo store in {target}.")
