"""Loading once, before the first document, what every render needs: the kinds, each role's font metrics,
jieba's dictionary and (``render=True``) WeasyPrint's fonts and a plaque's glyph outlines — so that a
worker's first job of every kind is as fast as its hundredth and no time limit is spent on start-up."""

from __future__ import annotations


def warm_up(render: bool = False) -> None:
    from docgen.fonts.metrics import role_metrics
    from docgen.fonts.roles import ROLES
    from docgen.kinds import kinds
    from docgen.layout.titles import _jieba

    kinds()
    for key in ROLES:
        role_metrics(key)
    _jieba().initialize()
    if render:
        _render_sample()
        _render_plaque()


def _render_sample() -> None:
    """A one-page 公文 in memory, through both renderers (its bytes are thrown away)."""
    from docgen.content.document import Header, OfficialDocument, Paragraph, Signature
    from docgen.render.formats import render_official

    doc = OfficialDocument(name="warm-up", header=Header("焦作市市场监督管理局文件", "焦市监〔2021〕1号"),
                           title="关于预热的通知", addressees="各单位", body=(Paragraph("正文。"),),
                           signature=Signature("焦作市市场监督管理局", "2021年8月3日", sealed=True))
    render_official(doc)


def _render_plaque() -> None:
    """A small contact-point plaque (all three lines' faces), so a worker's first plaque parses no font."""
    from docgen.kinds import render_data

    render_data({"kind": "plaque", "station": "知识产权保护工作站预热园区站", "variant": "contact",
                 "bureau": "山阳区", "proof_dpi": 30}, "warm-up")
