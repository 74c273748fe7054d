"""Flowcharts per procedure as SVG, drawn on the server from `workflows.WORKFLOWS` (PUB-1), so that the published
chart is the procedure the system enforces. Pure string building; no external programs."""

from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from .workflows import Step, Workflow

WIDTH = 640
BOX_X = 150
BOX_W = 340
LINE_H = 20
PAD = 10
GAP = 30
CHARS_PER_LINE = 20  # in full-width characters at 15px within BOX_W
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, limit: int = CHARS_PER_LINE) -> list[str]:
    """Break text into lines of at most `limit` full-width characters (half-width characters count half)."""
    lines: list[str] = []
    current, used = "", 0
    for char in text:
        w = _width(char)
        if used + w > limit * 2 and current:
            lines.append(current)
            current, used = "", 0
        current += char
        used += w
    if current:
        lines.append(current)
    return lines or [""]


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _av_label(step: Step) -> str:
    if step.av_floor == "continuous":
        return _("全程音像")
    if step.av_floor == "appropriate":
        return _("音像记录")
    return ""


def _box(step: Step, y: int, index: int) -> tuple[list[str], int]:
    title_lines = wrap(f"{index}. {step.name}")
    notes: list[str] = []
    if step.condition:
        notes += wrap(_("条件：%(c)s") % {"c": step.condition}, CHARS_PER_LINE + 3)
    if step.deadline_note:
        notes += wrap(_("时限：%(d)s") % {"d": step.deadline_note}, CHARS_PER_LINE + 3)
    height = PAD * 2 + LINE_H * len(title_lines) + 17 * len(notes)
    dash = ' stroke-dasharray="6 4"' if step.optional else ""
    fill = "#ffffff" if step.optional else "#eef5fc"
    parts = [
        f'<g class="step{" optional" if step.optional else ""}" data-step="{_attr(step.code)}">',
        f'<rect x="{BOX_X}" y="{y}" width="{BOX_W}" height="{height}" rx="6" fill="{fill}" '
        f'stroke="#0b5cad" stroke-width="1.5"{dash}/>',
    ]
    ty = y + PAD + 15
    for line in title_lines:
        parts.append(
            f'<text x="{BOX_X + BOX_W // 2}" y="{ty}" text-anchor="middle" font-size="15" '
            f'font-weight="600" fill="#1b1f24">{escape(line)}</text>'
        )
        ty += LINE_H
    for line in notes:
        parts.append(
            f'<text x="{BOX_X + BOX_W // 2}" y="{ty - 2}" text-anchor="middle" font-size="12" '
            f'fill="#4a5560">{escape(line)}</text>'
        )
        ty += 17
    av = _av_label(step)
    if av:
        parts.append(
            f'<rect x="{BOX_X + BOX_W + 8}" y="{y + 6}" width="74" height="22" rx="11" fill="#fff4c2" stroke="#b08800"/>'
            f'<text x="{BOX_X + BOX_W + 45}" y="{y + 21}" text-anchor="middle" font-size="12" '
            f'fill="#6b4e00">{escape(av)}</text>'
        )
    parts.append("</g>")
    return parts, height


def _terminal(label: str, y: int) -> list[str]:
    cx = BOX_X + BOX_W // 2
    return [
        f'<ellipse cx="{cx}" cy="{y + 16}" rx="54" ry="16" fill="#0b5cad"/>',
        f'<text x="{cx}" y="{y + 21}" text-anchor="middle" font-size="14" fill="#ffffff">{escape(label)}</text>',
    ]


def _arrow(y1: int, y2: int, marker: str) -> str:
    cx = BOX_X + BOX_W // 2
    return (
        f'<line x1="{cx}" y1="{y1}" x2="{cx}" y2="{y2 - 2}" stroke="#4a5560" stroke-width="1.5" '
        f'marker-end="url(#{marker})"/>'
    )


def render_svg(workflow: Workflow) -> str:
    """The flowchart of one procedure: start, each step in order (conditional steps dashed, with the condition),
    statutory time limits and AV requirements, end; with a title and description for screen readers."""
    marker = f"arrow-{workflow.code}"
    body: list[str] = []
    y = 50
    body += _terminal(_("开始"), y)
    previous_bottom = y + 32
    for index, step in enumerate(workflow.steps, start=1):
        y = previous_bottom + GAP
        body.append(_arrow(previous_bottom, y, marker))
        parts, height = _box(step, y, index)
        body += parts
        previous_bottom = y + height
    y = previous_bottom + GAP
    body.append(_arrow(previous_bottom, y, marker))
    body += _terminal(_("结束"), y)
    legend_y = y + 60
    body += [
        f'<rect x="20" y="{legend_y}" width="28" height="16" fill="#ffffff" stroke="#0b5cad" stroke-dasharray="6 4"/>',
        f'<text x="56" y="{legend_y + 13}" font-size="12" fill="#4a5560">{escape(_("虚线框：符合条件时才有的环节"))}</text>',
        f'<rect x="300" y="{legend_y}" width="28" height="16" rx="8" fill="#fff4c2" stroke="#b08800"/>',
        f'<text x="336" y="{legend_y + 13}" font-size="12" fill="#4a5560">'
        f"{escape(_('法定音像记录要求（另见本单位音像记录事项清单）'))}</text>",
    ]
    height = legend_y + 36
    title = _("%(name)s流程图") % {"name": workflow.name}
    description = " → ".join(str(s.name) for s in workflow.steps)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="title-{workflow.code} desc-{workflow.code}" font-family="{_attr(FONT)}" '
        f'class="flowchart" data-workflow="{_attr(workflow.code)}">',
        f'<title id="title-{workflow.code}">{escape(title)}</title>',
        f'<desc id="desc-{workflow.code}">{escape(description)}</desc>',
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5560"/></marker></defs>',
        f'<text x="{WIDTH // 2}" y="28" text-anchor="middle" font-size="18" font-weight="700" fill="#1b1f24">'
        f"{escape(title)}</text>",
    ]
    return "\n".join([*head, *body, "</svg>"])
