"""The decision engine: questions, decision tables and explained recommendations.

Pure Python with no Streamlit and no TensorFlow: training lives in `engine.lab` and imports
TensorFlow lazily, so this question-and-answer path stays fast.

    >>> from engine import recommend
    >>> recommend({"vocab_size": 500, "encoding_need": "simplicity"}, "text_encoding")["text_encoding"].choice
    'one_hot'
"""

from .answers import Answers, Assumption, accepted, check_answers, display, read_answers
from .checks import check_all, check_table
from .compare import Comparison, compare
from .errors import AnswerError, DataError, EngineError, RulesError, TrainingError
from .recommend import recommend
from .results import Advice, Alternative, ConditionCheck, Recommendation, Remedy, RuleCheck
from .tables import Tables, load_tables

__all__ = [
    "Advice", "Alternative", "AnswerError", "Answers", "Assumption", "Comparison", "ConditionCheck", "DataError",
    "EngineError", "Recommendation", "Remedy", "RuleCheck", "RulesError", "Tables", "TrainingError",
    "accepted", "check_all", "check_answers", "check_table", "compare", "display", "load_tables", "read_answers",
    "recommend",
]
