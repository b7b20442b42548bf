"""Loading once, before the first document, what every render needs: every kind's modules, each role's font
metrics, jieba (and its dictionary's index) and (``render=True``) a tiny record of every kind rendered in
memory — so that a worker's first job of every kind is as fast as its hundredth and no time limit is spent
on start-up."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

ORGAN = "焦作市市场监督管理局"
_OFFICE = {"organ": ORGAN}
_APPLICATION = {
    "kind": "contact-point-application", "filled_on": "2021年9月6日", "organisation": "焦作市预热商会",
    "contact_person": "刘洋", "phone": "0391-3926688", "email_qq": "583920114", "address": "焦作市山阳区预热路1号", "industries": ["新材料"],
    "station": "知识产权保护工作站山阳区预热商会站", "full_time": 1, "part_time": 1,
    "head": {"name": "孙立", "mobile": "13803910001"}, "staff": {"name": "周敏", "mobile": "13903910003"},
    "office_area": 40, "workstations": 2, "equipment": "电脑 2 台", "signage": True, "rules_on_wall": True,
}
_REPORT = {
    "kind": "district-report", "district": "山阳区市场监督管理局",
    "enterprises": [{"enterprise": "焦作市预热有限公司", "category": "其他", "protection": "知名度较高商标", "use": "所有",
                     "head": "许亮 13782910001", "liaison": "张敏 13782910002"}],
    "offices": [{"office": "知识产权保护科", "person": "许亮", "post": "科长", "contact": "0391-8621000"}],
}
_SUBMISSION = {"report": _REPORT, "rejected": []}

# A tiny valid record of every builtin kind (in memory: an installed docgen ships no samples/).
EXAMPLES: dict[str, dict[str, Any]] = {
    "notice": {"kind": "notice", "issuer": {"organ": ORGAN, "mark": f"{ORGAN}文件"}, "doc_number": "焦市监〔2021〕1号",
               "title": "焦作市市场监督管理局关于做好知识产权保护工作站年度检查准备工作的通知",
               "addressees": "各单位", "body": [{"h1": "预热"}, "正文。"],
               "signature": {"organ": ORGAN, "date": "2021年8月3日", "seal": "sealed"}},
    "plaque": {"kind": "plaque", "station": "知识产权保护工作站预热园区站", "variant": "contact", "bureau": "山阳区",
               "proof_dpi": 30},
    "plaque-batch": {"kind": "plaque-batch", "proof_dpi": 30, "stations": [{"name": "知识产权保护工作站预热园区站"}]},
    "district-report": _REPORT,
    "reply": {"kind": "reply", "subject": "station", "decision": "approve", "issuer": _OFFICE,
              "doc_number": "焦市监〔2021〕2号", "date": "2021年7月15日",
              "proposal": {"organisation": "焦作市预热商会", "station": "知识产权保护工作站山阳区预热商会站",
                           "head": {"name": "孙立", "mobile": "13803910001"}, "office_area": 40,
                           "equipment": "电脑 2 台"},
              "request": {"title": "关于设立知识产权保护工作站的请示", "number": "焦预〔2021〕1号"}},
    "bulletin": {"kind": "bulletin", "issuer": _OFFICE, "doc_number": "焦市监〔2021〕3号", "date": "2021年10月20日",
                 "submissions": [_SUBMISSION]},
    "reply-batch": {"kind": "reply-batch", "issuer": _OFFICE, "first_number": "焦市监〔2021〕4号",
                    "date": "2021年9月28日", "proof_dpi": 30,
                    "replies": [{"application": _APPLICATION,
                                 "request": {"title": "关于申请确定为知识产权保护联系点的请示"}}]},
    "contact-point-application": _APPLICATION,
    "consolidation": {"kind": "consolidation", "submissions": [_SUBMISSION]},
    "blank-forms": {"kind": "blank-forms"},
}


def warm_up(render: bool = False) -> dict[str, str]:
    """Import every registered kind's modules and load the fonts and jieba; ``render``: also render every
    kind's example once (bytes thrown away; nothing written but jieba's index, once a machine). A kind that fails is logged and skipped — a
    plugin's fault must not stop a worker. Returns what happened to each kind: "loaded", "rendered" or
    "failed: …"."""
    from docgen.fonts.metrics import role_metrics
    from docgen.fonts.roles import ROLES
    from docgen.kinds import kinds
    from docgen.layout.titles import _jieba

    for key in ROLES:
        role_metrics(key)
    _jieba().lcut("关于做好预热工作的通知")  # jieba's modules and its dictionary's index
    done = {}
    for name, kind in kinds().items():
        try:
            kind.load()
            done[name] = "loaded"
            if render and name in EXAMPLES:
                _render(name, kind)
                done[name] = "rendered"
        except Exception as exc:  # noqa: BLE001 - any kind's fault is logged, never fatal to the worker
            log.warning("预热文种 %s 失败：%s: %s", name, type(exc).__name__, exc)
            done[name] = f"failed: {type(exc).__name__}: {exc}"
    return done


def _render(name: str, kind) -> None:
    from docgen.kinds import render_record

    render_record(kind, kind.record.parse(EXAMPLES[name], "warm-up"), "warm-up")
