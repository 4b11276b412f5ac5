"""The list of known audit actions holds every action the code records (read from the source)."""
from __future__ import annotations

import re
from pathlib import Path

from app.audit.actions import KNOWN_ACTIONS

APP = Path(__file__).resolve().parents[2] / "app"
# trail.record(session, actor, "the.action", ...): the third argument, wherever the call wraps,
# also `"a.one" if condition else "a.other"`.
RECORDED = re.compile(r'trail\.record\(\s*[^,()]+,\s*[^,()]+,\s*("[a-z_.]+"(?:\s+if\s+[^,]+?\s+else\s+"[a-z_.]+")?)')
ACTION = re.compile(r'"([a-z_]+\.[a-z_.]+)"')


def test_every_recorded_action_is_known_and_every_known_one_is_recorded():
    recorded = {action for path in APP.rglob("*.py") for argument in RECORDED.findall(path.read_text())
                for action in ACTION.findall(argument)}
    assert len(recorded) >= 15
    assert recorded - set(KNOWN_ACTIONS) == set(), "add these to app/audit/actions.py"
    assert set(KNOWN_ACTIONS) - recorded == set(), "no code records these any more"
    assert list(KNOWN_ACTIONS) == sorted(KNOWN_ACTIONS)
