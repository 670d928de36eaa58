"""Time introduction suggestions over a large, realistically worded address book.

Run: ``uv run python bench/bench_intros.py [profiles] [runs]`` (default 10,000 profiles, 5 runs).
Profiles are generated from templates over a few hundred skills, sectors, roles and
cities drawn with Zipf-like skew (a few topics everyone mentions, a long tail), plus
filler phrases and the odd rare word (product names), as people write on cards.
The first run starts with empty stem and count caches (the first run after opening the
app); the median is over the runs after it (later runs, after a change to a few people).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from networking_app.intros import MatchReport, Profile, explain, match_report  # noqa: E402
from networking_app.intros.text_model import clear_caches, terms  # noqa: E402

SKILLS = """
Python;Rust;Go;TypeScript;React;Vue;Django;Kubernetes;Terraform;AWS;Azure;GCP;PostgreSQL;
data engineering;data science;machine learning;computer vision;NLP;LLM apps;MLOps;analytics;
iOS development;Android development;Flutter;game design;Unity;embedded systems;firmware;
PCB design;hardware prototyping;3D printing;robotics;drones;battery chemistry;solar installs;
UX design;user research;UI design;Figma;brand identity;illustration;motion design;copywriting;
content strategy;SEO;growth marketing;performance marketing;email marketing;community building;
public relations;social media;video production;podcasting;photography;event planning;
B2B sales;enterprise sales;partnerships;customer success;pricing;go-to-market;
product management;product discovery;roadmapping;agile coaching;engineering management;
hiring engineers;technical recruiting;employer branding;people operations;HR policies;
fundraising;pitch decks;seed rounds;angel investing;venture debt;grant writing;
bookkeeping;accounting;tax;payroll;financial modelling;FP&A;CFO services;
startup law;contracts;IP and patents;GDPR compliance;employment law;immigration visas;
supply chain;manufacturing;logistics;e-commerce;Shopify;marketplaces;retail;
public speaking;pitch coaching;leadership coaching;career coaching;mentoring;negotiation;
security audits;penetration testing;cryptography;blockchain;smart contracts;
healthtech regulation;clinical trials;medical devices;biotech lab work;
climate tech;carbon accounting;circular economy;urban farming;food safety;
translation;Spanish;French;German;Japanese;Mandarin;technical writing;documentation
"""
SECTORS = """
fintech;healthtech;edtech;climate;proptech;legaltech;insurtech;agritech;foodtech;mobility;
gaming;media;retail;logistics;energy;biotech;cybersecurity;developer tools;HR tech;travel;
nonprofit;govtech;space;fashion;music;sports;beauty;pet care;real estate;construction
"""
ROLES = """
technical co-founder;CTO;designer;product manager;growth marketer;sales lead;data scientist;
backend engineer;frontend developer;mobile developer;DevOps engineer;community manager;
copywriter;accountant;lawyer;recruiter;angel investor;mentor;advisor;translator;photographer;
video editor;researcher;hardware engineer;firmware engineer;UX researcher;operations lead
"""
CITIES = """
Berlin;Lisbon;London;Paris;Amsterdam;Madrid;Barcelona;Stockholm;Copenhagen;Helsinki;Oslo;
Warsaw;Prague;Vienna;Zürich;Munich;Milan;Dublin;Tallinn;Athens;Istanbul;Nairobi;Lagos;
Bangalore;Singapore;Tokyo;Seoul;Toronto;Montréal;São Paulo;Austin;Boston;New York
"""
OFFERS = [
    "{skill}",
    "{skill} mentoring",
    "Happy to help with {skill}",
    "hands-on {skill} for {sector} startups",
    "{years} years of {skill} at {brand}",
    "feedback on your {skill}",
    "intros to {role}s in {city}",
    "I can help with {skill} and {skill2}",
    "workshops on {skill}",
    "{skill} with {brand}",
    "{skill} consulting",
]
SEEKING = [
    "a {role} for my {sector} startup",
    "looking for {skill} advice",
    "{skill} help for our {sector} product",
    "a {role} who knows {skill}",
    "clients in {sector}",
    "a job in {city} doing {skill}",
    "intros to {sector} investors",
    "someone to review our {skill}",
    "seed funding for {brand}",
    "learning {skill}",
    "beta users for {brand}, our {sector} app",
]
FIRST = "Ana Bo Chloé Dmitri Emma Farid Grace Hiro Isabel Jonas Kofi Lena Marco Zoë Ólafur".split()
LAST = "Souza Keller Martin Volkov Li Haddad Okafor Tanaka Ruiz Berg Mensah Novak Ångström".split()


def _split(block: str) -> list[str]:
    return [item.strip() for item in block.split(";") if item.strip()]


class Vocabulary:
    """Zipf-skewed choices: the first items of each list are what everyone writes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lists = {
            name: _split(block)
            for name, block in (
                ("skill", SKILLS),
                ("sector", SECTORS),
                ("role", ROLES),
                ("city", CITIES),
            )
        }
        for items in self.lists.values():
            rng.shuffle(items)
        self.weights = {
            name: [1 / (r + 1) for r in range(len(v))] for name, v in self.lists.items()
        }

    def pick(self, name: str) -> str:
        return self.rng.choices(self.lists[name], self.weights[name])[0]

    def brand(self) -> str:
        """A rare word (product or company name): the long tail of real vocabularies."""
        syllables = "ka lo mi ze ra tu vo ni sha bel dor fen qui pa sto rin gu lem ax ori".split()
        return "".join(self.rng.choices(syllables, k=self.rng.randint(2, 3))).capitalize()

    def fill(self, template: str) -> str:
        return template.format(
            skill=self.pick("skill"),
            skill2=self.pick("skill"),
            sector=self.pick("sector"),
            role=self.pick("role"),
            city=self.pick("city"),
            brand=self.brand(),
            years=self.rng.randint(2, 20),
        )


def make_profiles(count: int, seed: int = 11) -> list[Profile]:
    rng = random.Random(seed)
    words = Vocabulary(rng)

    def text(templates: list[str], most: int) -> str:
        return ", ".join(words.fill(rng.choice(templates)) for _ in range(rng.randint(1, most)))

    return [
        Profile(
            id=f"c{i:05d}",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            offers=text(OFFERS, 3) if rng.random() > 0.05 else "",
            seeking=text(SEEKING, 2) if rng.random() > 0.1 else "",
            needs=text(SEEKING, 1) if rng.random() < 0.3 else "",
        )
        for i in range(count)
    ]


def timed_run(profiles: list[Profile]) -> tuple[float, float, MatchReport]:
    """(wall seconds, CPU seconds, report): CPU time shows the cost when the machine is busy."""
    wall, cpu = time.perf_counter(), time.process_time()
    report = match_report(profiles, limit=50)
    return time.perf_counter() - wall, time.process_time() - cpu, report


def main(count: int = 10_000, runs: int = 5) -> None:
    profiles = make_profiles(count)
    clear_caches()  # cold: every word is stemmed once, every text counted once
    cold, cold_cpu, report = timed_run(profiles)
    warm, cpu = zip(*(timed_run(profiles)[:2] for _ in range(runs)), strict=True)
    stems = {t for p in profiles for t in terms(f"{p.offers} {p.seeking} {p.needs}")}
    print(f"profiles: {count:,}   distinct stems: {len(stems):,}   df cap: {report.max_df}")
    print(f"candidate (seeker, helper) pairs scored: {report.candidate_pairs:,}")
    print(f"posting visits (score additions): {report.posting_visits:,}")
    print(
        f"stems pruned as too common: {len(report.common_terms)} {sorted(report.common_terms)[:12]}"
    )
    print(f"first run (cold stem and count caches): {cold:.3f} s   (CPU {cold_cpu:.3f} s)")
    median, low, high = statistics.median(warm), min(warm), max(warm)
    print(f"median of {runs} runs: {median:.3f} s   (min {low:.3f}, max {high:.3f})")
    print(f"median CPU time: {statistics.median(cpu):.3f} s   (load average {_load()})")
    by_id = {p.id: p for p in profiles}
    for suggestion in report.suggestions[:3]:
        print(" -", f"{suggestion.score:.2f}", explain(suggestion, by_id))


def _load() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
