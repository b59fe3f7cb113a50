"""Self-study review: the whole cheatsheet as flashcards, quizzes, runnable snippets and errata.

Pure Python (no Streamlit, no TensorFlow): snippets run in a subprocess via `run_snippet`.

    content = load_content()                  # rules/study/*.toml, validated and cross-checked
    cards = build_cards(content)              # flashcards keyed like "concept:dropout"
    store = ProgressStore(default_db_path())  # SQLite progress, one row set per learner
    store.record_review("ada", cards[0].key, RATINGS["good"], now, make_scheduler())
"""

from .cards import Flashcard, build_cards, filter_cards
from .content import SNIPPETS_DIR, STUDY_DIR, StudyContent, load_content
from .paths import ENV_VAR, default_db_path
from .progress import Summary, TopicMastery, daily_activity, summarize, topic_mastery, weakest_topics
from .question import Question, check
from .quiz import KIND_LABELS, make_question
from .runner import RunResult, run_many, run_snippet
from .scheduling import RATINGS, make_scheduler, next_due, review_queue
from .store import ProgressStore, QuizAnswer, Review
from .store_errors import ProgressDamaged, ProgressError, ProgressLocked
from .transfer import export_csv, import_csv

__all__ = [
    "ENV_VAR", "KIND_LABELS", "RATINGS", "SNIPPETS_DIR", "STUDY_DIR",
    "Flashcard", "ProgressDamaged", "ProgressError", "ProgressLocked", "ProgressStore", "Question", "QuizAnswer",
    "Review", "RunResult",
    "StudyContent", "Summary", "TopicMastery",
    "build_cards", "check", "daily_activity", "default_db_path", "export_csv", "filter_cards", "import_csv",
    "load_content", "make_question", "make_scheduler", "next_due", "review_queue", "run_many", "run_snippet",
    "summarize", "topic_mastery", "weakest_topics",
]
