"""Persistence: one SQLite file, reached only through the names exported here.

Code outside this package imports from `bot.storage` only; the storage tests
alone reach into its modules (migrations, SQL helpers) to test them.
"""

from bot.core.faq import (
    DuplicateName,
    EntryNotFound,
    FaqError,
    InvalidEntry,
    LimitReached,
    NoChanges,
)
from bot.storage.changes import FaqChangeWatcher
from bot.storage.data_folder import (
    AlreadyRunning,
    DatabaseMissing,
    ProcessLock,
    check_may_create,
    traces_of_a_database,
)
from bot.storage.database import Database, DatabaseError, DatabaseTooNew
from bot.storage.failures import DatabaseFileGone, WriteFailed
from bot.storage.faq_repository import FaqRepository, ImportResult
from bot.storage.feedback import FeedbackStore, FeedbackSummary, FeedbackTally
from bot.storage.lessons import LessonStore
from bot.storage.review_queue import ReviewItem, ReviewQueue
from bot.storage.server_settings import ServerSettingsStore, SettingChange, SettingsNotSaved
from bot.storage.stores import Storage
from bot.storage.unanswered import UnansweredLog, UnansweredQuestion

__all__ = [
    "AlreadyRunning",
    "Database",
    "DatabaseError",
    "DatabaseFileGone",
    "DatabaseMissing",
    "DatabaseTooNew",
    "DuplicateName",
    "EntryNotFound",
    "FaqChangeWatcher",
    "FaqError",
    "FaqRepository",
    "FeedbackStore",
    "FeedbackSummary",
    "FeedbackTally",
    "ImportResult",
    "InvalidEntry",
    "LessonStore",
    "LimitReached",
    "NoChanges",
    "ProcessLock",
    "ReviewItem",
    "ReviewQueue",
    "ServerSettingsStore",
    "SettingChange",
    "SettingsNotSaved",
    "Storage",
    "UnansweredLog",
    "UnansweredQuestion",
    "WriteFailed",
    "check_may_create",
    "traces_of_a_database",
]
