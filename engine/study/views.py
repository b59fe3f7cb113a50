"""Plain data the Review page displays: interval previews, chart rows, labels. No Streamlit here.

Keeping these small computations out of the page keeps the page to widgets and layout, and lets
tests check the numbers without a browser.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import fsrs

from .content import StudyContent
from .progress import TopicMastery
from .scheduling import RATINGS, new_card, utc

KIND_NAMES = {
    "concept": "Concept",
    "table": "Pros & cons",
    "gotcha": "Gotcha",
    "formula": "Formula",
    "command": "Keras 3 command",
    "erratum": "Erratum",
}


def humanize(delta: timedelta) -> str:
    """A short interval like '10 min', '3 h', '4 d' or '2.5 mo'."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = seconds / 86400
    if days < 31:
        return f"{round(days)} d"
    if days < 365:
        return f"{days / 30:.1f} mo"
    return f"{days / 365:.1f} y"


def rating_previews(
    scheduler: fsrs.Scheduler, key: str, state: fsrs.Card | None, now: datetime
) -> dict[str, str]:
    """For each rating, when the card would come back if answered that way now (e.g. {'good': '10 min'})."""
    now = utc(now)
    card = state if state is not None else new_card(key, now)
    previews = {}
    for name, rating in RATINGS.items():
        updated, _ = scheduler.review_card(card, rating, review_datetime=now)
        previews[name] = humanize(updated.due - now)
    return previews


def mastery_rows(rows: Sequence[TopicMastery], content: StudyContent) -> list[dict[str, object]]:
    """One chart row per topic, in the week's order: name, day, mastery (0-100 %) and quiz accuracy."""
    order = {t.id: i for i, t in enumerate(content.topics)}
    return [
        {
            "topic": content.topic_name(r.topic),
            "day": content.topic(r.topic).day,
            "mastery %": round(100 * r.mastery, 1),
            "cards seen": f"{r.seen}/{r.cards}",
            "quiz accuracy %": None if r.quiz_accuracy is None else round(100 * r.quiz_accuracy, 1),
            "quiz answers": r.quiz_answers,
        }
        for r in sorted(rows, key=lambda r: order[r.topic])
    ]


def due_label(due: datetime | None, now: datetime) -> str:
    """'in 3 h' / 'now' for the next due card, or a hint when nothing has been reviewed."""
    if due is None:
        return "no card reviewed yet"
    if due <= now:
        return "now"
    return "in " + humanize(due - now)


def topic_options(content: StudyContent) -> Mapping[str, str]:
    """Topic id -> 'Name (Day)' for filter widgets, in week order."""
    return {t.id: f"{t.name} ({t.day})" for t in content.topics}


# The errata tab's groups, in the order a learner should read them: what breaks their code first.
ERRATA_GROUPS = {
    "outdated-code": "Code that fails or is outdated on Keras 3",
    "typo": "Typos (some of them break the code)",
    "wrong-formula": "Formulas that are wrong or leave out which convention they use",
    "wrong-claim": "Wrong claims",
    "contradiction": "Places where the cheatsheet contradicts itself",
    "contested": "Claims stated as fact that are still debated",
}


def errata_groups(content: StudyContent, kinds: Sequence[str] | None = None) -> list[tuple[str, list]]:
    """(group title, errata) for each kind in ERRATA_GROUPS order, skipping empty groups and unchosen kinds."""
    chosen = set(ERRATA_GROUPS if kinds is None else kinds)
    groups = []
    for kind, title in ERRATA_GROUPS.items():
        members = [e for e in content.errata if e.kind == kind]
        if kind in chosen and members:
            groups.append((title, members))
    return groups


def snippet_command(content: StudyContent, snippet: str) -> str | None:
    """The id of the command whose runnable snippet is `snippet` (what the Snippets tab selects), if any."""
    return next((c.id for c in content.commands if c.snippet == snippet), None)
