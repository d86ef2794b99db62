"""The materials package without import cycles: leaf modules, the registered plan reviewer."""

from __future__ import annotations

import datetime as dt

import backoffice_marketing as bm
from backoffice_marketing.core.privacy import OTHER_GROUP
from backoffice_marketing.materials import AnnouncementPlan, Channel, PlannedMessage, ReachLog
from backoffice_marketing.materials.announcements import channels, plan, review
from backoffice_marketing.materials.scoring import (
    READER_WEIGHTS,
    is_one_page,
    item_of_check,
)


def _plan() -> AnnouncementPlan:
    return AnnouncementPlan(
        launch=dt.date(2027, 6, 1),
        name="small teams",
        departments=[
            bm.Department("a", "総務部", 3),
            bm.Department("b", "法務部", 3),
            bm.Department("c", "経理部", 12),
        ],
        messages=[
            PlannedMessage(dt.date(2027, 5, 6), Channel.EMAIL),
            PlannedMessage(dt.date(2027, 5, 13), Channel.CHAT),
        ],
    )


def test_the_plan_is_reviewed_by_the_registered_reviewer() -> None:
    """AnnouncementPlan.review calls the review module's function, registered on import."""
    reviewed = _plan().review()
    assert isinstance(reviewed, review.AnnouncementReview)
    assert reviewed == review.review_plan(
        _plan(), log=None, calendar=None, min_group_size=bm.MIN_GROUP_SIZE
    )


def test_the_channels_module_is_the_one_source_of_channels() -> None:
    """The plan and the package re-export the leaf module's channels and order."""
    assert plan.Channel is channels.Channel is Channel
    assert list(channels.CHANNEL_ORDER) == list(Channel)
    assert Channel.BRIEFING.label.ja == "説明会"


def test_small_departments_roll_up_into_other_in_the_rendered_review() -> None:
    """Two departments under the floor are shown together as 'other', in both languages."""
    log = ReachLog.from_text(
        "department,person,event\n"
        + "".join(f"a,a{i},reached\n" for i in range(3))
        + "".join(f"b,b{i},reached\n" for i in range(3))
        + "".join(f"c,c{i},acknowledged\n" for i in range(12)),
        source="reach.csv",
    )
    reviewed = _plan().review(log=log)
    assert OTHER_GROUP in {group.group for group in reviewed.reach or ()}
    assert "その他(小さな部署の合算)" in reviewed.to_html(lang="ja")
    assert "Other (small departments combined)" in reviewed.to_html(lang="en")


def test_scoring_is_shared_by_the_review_and_its_answers() -> None:
    """The weights cover every reader check; items and the one-page rule read the review."""
    assert sum(READER_WEIGHTS.values()) == 13
    assert item_of_check("why") == "materials.why"
    assert item_of_check("reader_action") is None
    short = bm.materials.lint("お知らせ\n\n4月から申請はWebで受け付けます。", lang="ja")
    assert is_one_page(short)
    english = bm.materials.lint("Notice\n\nSend claims in the app from June.", lang="en")
    assert is_one_page(english)
