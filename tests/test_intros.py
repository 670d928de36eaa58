"""Suggested introductions: the right pairs, never the traps, explained and reproducible."""

from __future__ import annotations

import json
import random
from itertools import permutations
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from networking_app.intros import (
    Profile,
    Suggestion,
    draft_intro_messages,
    explain,
    match_report,
    pairing,
    profile_of,
    suggest_intros,
    text_model,
)
from networking_app.intros.text_model import terms
from networking_app.models import Contact, Meeting
from networking_app.search import fold

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "intro_people.json").read_text("utf-8"))
PEOPLE = [Profile(**p) for p in FIXTURE["people"]]
BY_ID = {p.id: p for p in PEOPLE}
RANK_BOUND: int = FIXTURE["rank_bound"]


def pair_of(s: Suggestion) -> frozenset[str]:
    return frozenset((s.seeker_id, s.helper_id))


def find(suggestions: list[Suggestion], a: str, b: str) -> tuple[int, Suggestion] | None:
    return next(((k, s) for k, s in enumerate(suggestions) if pair_of(s) == {a, b}), None)


def as_rows(suggestions: list[Suggestion]) -> list[tuple[Any, ...]]:
    return [(s.seeker_id, s.helper_id, s.score, s.reasons, s.mutual) for s in suggestions]


# -- the fixture: right pairs, ranked, explained ---------------------------------------------
@pytest.mark.parametrize(
    "expected", FIXTURE["expected"], ids=lambda e: f"{e['seeker']}-{e['helper']}"
)
def test_every_expected_introduction_ranks_within_the_bound(expected: dict[str, Any]) -> None:
    suggestions = suggest_intros(PEOPLE)
    found = find(suggestions, expected["seeker"], expected["helper"])
    assert found is not None, f"missing: {expected['why']}"
    rank, suggestion = found
    assert rank < RANK_BOUND, f"ranked {rank + 1}: {expected['why']}"
    assert suggestion.mutual == expected["mutual"]
    if not expected["mutual"]:
        assert (suggestion.seeker_id, suggestion.helper_id) == (
            expected["seeker"],
            expected["helper"],
        )


@pytest.mark.parametrize(
    "expected", FIXTURE["expected"], ids=lambda e: f"{e['seeker']}-{e['helper']}"
)
def test_reasons_are_the_matching_words_as_people_wrote_them(expected: dict[str, Any]) -> None:
    found = find(suggest_intros(PEOPLE), expected["seeker"], expected["helper"])
    assert found is not None
    assert set(expected["reasons"]) <= set(found[1].reasons)


def test_the_expected_pairs_fill_the_top_of_the_list() -> None:
    expected = {frozenset((e["seeker"], e["helper"])) for e in FIXTURE["expected"]}
    top = [pair_of(s) for s in suggest_intros(PEOPLE, limit=len(expected) + 1)]
    # One slot of slack: the duplicate Sofia card is as good a Spanish teacher as the first.
    assert len(expected - set(top)) == 0


@pytest.mark.parametrize("trap", FIXTURE["traps"], ids=lambda t: "-".join(t["pair"]))
def test_trap_pairs_are_never_suggested(trap: dict[str, Any]) -> None:
    a, b = trap["pair"]
    for s in suggest_intros(PEOPLE, limit=1000, min_score=0.0):
        assert not (a in pair_of(s) and (b == "*" or b in pair_of(s))), trap["why"]


def test_two_people_who_both_offer_marketing_are_not_paired() -> None:
    people = [
        Profile("a", "Grace", "Growth marketing, SEO", "B2B founders"),
        Profile("b", "Hiro", "Marketing for consumer brands", "An accountant"),
    ]
    assert suggest_intros(people, min_score=0.0) == []


def test_duplicate_cards_are_not_introduced_to_each_other() -> None:
    card = dict(offers="Spanish lessons", seeking="Spanish conversation partners")
    people = [Profile("x1", "Sofia", **card), Profile("x2", "Sofia", **card)]
    assert suggest_intros(people, min_score=0.0) == []


def test_a_profile_is_never_paired_with_itself_even_listed_twice() -> None:
    ana = Profile("a", "Ana", "Rust mentoring", "Rust mentoring and Go reviews")
    bo = Profile("b", "Bo", "Go code reviews", "Rust mentoring")
    for s in suggest_intros([ana, ana, bo], min_score=0.0):
        assert s.seeker_id != s.helper_id
    assert len(suggest_intros([ana, ana, bo], min_score=0.0)) == 1


def test_a_pair_appears_once() -> None:
    pairs = [pair_of(s) for s in suggest_intros(PEOPLE, limit=1000, min_score=0.0)]
    assert len(pairs) == len(set(pairs))


# -- mutual, dismissed, limits ---------------------------------------------------------------
def test_mutual_pairs_add_both_directions_and_rank_above_either_alone() -> None:
    ana = Profile("a", "Ana", "Copywriting and French translation", "A UX designer for my app")
    bo = Profile("b", "Bo", "UX design, user research", "A French translator for my site")
    one_way = Profile("b", "Bo", "UX design, user research", "Sailing lessons")
    [mutual] = suggest_intros([ana, bo])
    [single] = suggest_intros([ana, one_way])
    assert mutual.mutual and not single.mutual
    assert mutual.score > single.score
    assert {"UX", "French"} <= set(mutual.reasons)


def test_a_dismissed_pair_never_comes_back_and_the_next_takes_its_place() -> None:
    before = suggest_intros(PEOPLE, limit=5)
    gone = before[0].pair
    after = suggest_intros(PEOPLE, limit=5, dismissed=[frozenset(reversed(sorted(gone)))])
    assert gone not in {s.pair for s in after}
    assert len(after) == 5 and after[:4] == before[1:]
    everything = suggest_intros(PEOPLE, limit=1000, min_score=0.0, dismissed={gone})
    assert gone not in {s.pair for s in everything}


def test_limit_and_min_score_bound_the_list() -> None:
    assert suggest_intros(PEOPLE, limit=0) == []
    assert len(suggest_intros(PEOPLE, limit=3)) == 3
    assert suggest_intros(PEOPLE, min_score=1000.0) == []
    assert suggest_intros([]) == [] and suggest_intros(PEOPLE[:1]) == []


def test_scores_are_ranked_best_first() -> None:
    scores = [s.score for s in suggest_intros(PEOPLE, limit=1000, min_score=0.0)]
    assert scores == sorted(scores, reverse=True)


# -- determinism -----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(5))
def test_same_input_same_output_even_shuffled(seed: int) -> None:
    shuffled = PEOPLE[:]
    random.Random(seed).shuffle(shuffled)
    assert as_rows(suggest_intros(shuffled, limit=30)) == as_rows(suggest_intros(PEOPLE, limit=30))
    assert suggest_intros(PEOPLE) == suggest_intros(PEOPLE)


def test_ties_break_by_names_then_ids() -> None:
    seeker = Profile("s", "Sam", "", "Kubernetes")
    helpers = [
        Profile(i, n, "Kubernetes", "") for i, n in (("h3", "Bo"), ("h2", "Ana"), ("h1", "Bo"))
    ]
    ranked = suggest_intros([seeker, *helpers], min_score=0.0)
    assert [s.helper_id for s in ranked] == ["h2", "h1", "h3"]


# -- text ------------------------------------------------------------------------------------
def test_unicode_is_folded_for_matching_and_kept_for_showing() -> None:
    zoe = Profile("z", "Zoë Ångström", "Barista training", "A CAFÉ to host workshops")
    quentin = Profile("q", "Quentin", "Café space for meetings", "A barista trainer")
    [s] = suggest_intros([zoe, quentin])
    assert s.mutual and "Café" in s.reasons
    assert "Zoë Ångström" in explain(s, {"z": zoe, "q": quentin})


def test_stop_words_numbers_and_short_words_do_not_count() -> None:
    assert terms("I'm looking for help with the 2024 roadmap, 10k users, a C++ and UX") == [
        "roadmap",
        "user",
        "c++",
        "ux",
    ]
    assert terms("I can help! Happy to offer advice, looking for anything really") == []
    assert terms("") == []


def test_stemming_and_folding_meet_different_forms_of_a_word() -> None:
    assert terms("Mentoring designers") == terms("mentor design")
    assert terms("accountant") == terms("Accounting")
    assert terms("investors") == terms("investment") == terms("funding")
    assert terms("Zoë’s CAFÉ") == terms("zoe cafe")
    assert terms("co-founder") == terms("Cofounders") != terms("founder")


def test_empty_and_missing_text_is_handled() -> None:
    people = [
        Profile("a", "", "", ""),
        Profile("b", "  ", "\n", "…"),
        Profile("c", "C", "Rust", ""),
    ]
    assert suggest_intros(people) == []


def test_my_notes_of_what_someone_needs_count_as_seeking() -> None:
    wen = BY_ID["p24"]
    found = find(suggest_intros(PEOPLE), "p24", "p09")
    assert found is not None and wen.seeking == ""
    assert "Wen Zhao needs an accountant who knows tax for startups" in explain(found[1], BY_ID)


# -- words for people ------------------------------------------------------------------------
def test_explain_is_one_plain_sentence_naming_both_and_the_matching_words() -> None:
    _, s = find(suggest_intros(PEOPLE), "p01", "p02") or pytest.fail("missing")
    sentence = explain(s, BY_ID)
    assert sentence.startswith("Ana Souza is looking for seed funding")
    assert "; Bruno Keller offers " in sentence and sentence.endswith(
        "(matching: investment, seed)."
    )
    assert "\n" not in sentence


def test_explain_says_both_ways_for_a_mutual_pair() -> None:
    _, s = find(suggest_intros(PEOPLE), "p03", "p04") or pytest.fail("missing")
    sentence = explain(s, BY_ID)
    assert "in return" in sentence
    assert "a UX designer" in sentence and "a French translator" in sentence


def test_drafts_are_double_opt_in_and_lead_with_what_the_other_can_give() -> None:
    _, s = find(suggest_intros(PEOPLE), "p12", "p11") or pytest.fail("missing")
    lena, kofi = BY_ID["p12"], BY_ID["p11"]
    to_seeker, to_helper = draft_intro_messages(lena, kofi, s, me="Sam")
    assert to_seeker.startswith("Hi Lena, would you like an intro to Kofi Mensah? Kofi offers")
    assert to_helper.startswith(
        "Hi Kofi, would you be open to an intro to Lena Novak? Lena is looking for"
    )
    assert "legal" in to_seeker.split("?")[1]  # what Kofi gives comes straight after the question
    assert "contracts" in to_helper.split("?")[1]
    assert ", and you offer " in to_helper and "which is what you offer" not in to_helper  # no claim it is all of it
    for message in (to_seeker, to_helper):
        assert "Lena" in message and "Kofi" in message
        assert "only connect you two if you both say yes" in message
        assert message.endswith("\nSam")
        assert len(message) < 400


def test_drafts_for_a_mutual_pair_say_how_each_can_help_the_other() -> None:
    _, s = find(suggest_intros(PEOPLE), "p17", "p18") or pytest.fail("missing")
    seeker, helper = BY_ID[s.seeker_id], BY_ID[s.helper_id]
    to_seeker, to_helper = draft_intro_messages(seeker, helper, s)
    assert "too" in to_seeker and "which you're looking for" in to_helper
    assert not to_seeker.endswith("\n")


def test_explain_survives_a_profile_that_is_gone() -> None:
    s = Suggestion("gone", "p02", 3.0, ("seed",))
    assert explain(s, BY_ID).startswith("someone is looking for")


def test_profile_of_joins_the_needs_i_noted_at_each_meeting() -> None:
    contact = Contact(given="Wen", family="Zhao", offers="Tax", seeking="")
    meetings = [
        Meeting(contact_id=contact.id, need="An accountant"),
        Meeting(contact_id=contact.id, need=""),
        Meeting(contact_id="someone else", need="A lawyer"),
    ]
    profile = profile_of(contact, meetings)
    assert profile == Profile(contact.id, "Wen Zhao", "Tax", "", "An accountant")


# -- scale -----------------------------------------------------------------------------------
def test_a_word_everyone_writes_is_pruned_instead_of_pairing_everyone() -> None:
    people = [
        Profile(f"p{i}", f"P{i}", f"marketing tool{i}", f"marketing need{i}") for i in range(400)
    ]
    report = match_report(people)
    assert "market" in report.common_terms and report.max_df == 80
    assert report.candidate_pairs == 0 and report.suggestions == []


VOCAB = [
    "rust",
    "python",
    "design",
    "seed",
    "legal",
    "tax",
    "cafe",
    "barista",
    "ux",
    "sales",
    "seo",
]
words = st.lists(st.sampled_from(VOCAB), max_size=4).map(" ".join)
people_lists = st.lists(
    st.tuples(st.sampled_from(["Ana", "Bo", "Cy"]), words, words, words), min_size=0, max_size=14
)


def brute_force(
    people: list[Profile], limit: int, min_score: float, dismissed: set[frozenset[str]]
) -> list[tuple[Any, ...]]:
    """Every ordered pair scored, no index and no pruning: what the fast path must equal."""
    vectors = text_model.vectorise(people, None)
    order = [(fold(p.name), p.id) for p in people]
    rows: dict[frozenset[int], tuple[Any, ...]] = {}
    for i, j in permutations(range(len(people)), 2):
        f = pairing.dot(vectors.wants[i], vectors.offers[j])
        b = pairing.dot(vectors.wants[j], vectors.offers[i])
        if frozenset((people[i].id, people[j].id)) in dismissed:
            continue
        if f <= 0 or f < min_score or f < b or (f == b and order[i] > order[j]):
            continue
        mutual = b > 0 and b >= min_score
        score = round(f + b if mutual else f, 6)
        rows[frozenset((i, j))] = (
            -score,
            order[i],
            order[j],
            people[i].id,
            people[j].id,
            score,
            mutual,
        )
    best = sorted(rows.values())[:limit]
    return [(r[3], r[4], r[5], r[6]) for r in best]


@settings(max_examples=200, deadline=None)
@given(
    people_lists,
    st.integers(1, 6),
    st.sampled_from([0.0, 0.5, 1.5]),
    st.sets(st.frozensets(st.sampled_from([f"id{k}" for k in range(6)]), min_size=2, max_size=2)),
    st.randoms(use_true_random=False),
)
def test_the_index_and_pruning_find_exactly_what_scoring_every_pair_finds(
    rows: list[tuple[str, str, str, str]],
    limit: int,
    min_score: float,
    dismissed: set[frozenset[str]],
    rng: random.Random,
) -> None:
    people = [Profile(f"id{k}", *row) for k, row in enumerate(rows)]
    expected = brute_force(people, limit, min_score, dismissed)
    rng.shuffle(people)
    fast = suggest_intros(people, limit=limit, min_score=min_score, dismissed=dismissed)
    assert [(s.seeker_id, s.helper_id, s.score, s.mutual) for s in fast] == expected


def test_explain_says_a_need_once_when_my_note_repeats_their_card() -> None:
    seeker = Profile("s", "Bob Stone", "", "a Python contractor", "a Python contractor for 3 months")
    helper = Profile("h", "Grace Ho", "Python contracting", "")
    [s] = suggest_intros([seeker, helper])
    sentence = explain(s, {"s": seeker, "h": helper})
    assert sentence.startswith("Bob Stone needs a Python contractor for 3 months; Grace Ho offers")
    assert sentence.count("Python contractor") == 1


def test_kept_counts_are_never_changed_by_a_run() -> None:
    from networking_app.intros import text_model as engine

    seeker = Profile("s", "Bob", "python", "a Python contractor", "")
    helper = Profile("h", "Grace", "Python contracting", "")
    first = suggest_intros([seeker, helper])
    kept = engine._counted(seeker.offers)
    again = suggest_intros([seeker, helper])  # a person's wants drop what they offer: on a copy
    assert first == again and engine._counted(seeker.offers) == kept and engine._term_counts("a Python contractor")


def test_a_need_noted_at_two_meetings_is_said_once() -> None:
    seeker = Profile("s", "Elena García", "", "", "clients in climate tech\nclients in climate tech")
    helper = Profile("h", "Dev Patel", "investment in climate tech", "")
    [s] = suggest_intros([seeker, helper])
    assert explain(s, {"s": seeker, "h": helper}).count("clients in climate tech") == 1


def test_my_edits_of_a_drafted_introduction_are_kept(tmp_path) -> None:
    from networking_app.models import Card
    from networking_app.store import Store

    with Store.open(tmp_path / "data", daily_backup=False) as store:
        store.people.record_scan(Card(given="Bob", emails=["bob@x.org"], offers="Python mentoring"), event_id="")
        store.people.record_scan(Card(given="Cy", emails=["cy@x.org"], seeking="a Python mentor"), event_id="")
        [suggestion] = store.intros.suggest()
        intro = store.intros.draft(suggestion, me="Ana")
        store.intros.edit(intro.id, to_seeker="Hi Cy, may I introduce Bob?")
        [kept] = store.intros.drafts()
        assert kept.to_seeker == "Hi Cy, may I introduce Bob?" and kept.to_helper == intro.to_helper
