"""REC-15: the DOCX and HTML templates kept under templates/cases/documents/ are the ones the layouts build, so
that the DOCX and the PDF of a document say the same; each has its Chinese title and fields."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from sunlight.cases.choices import DocumentType
from sunlight.cases.documents import LAYOUTS, SOURCES, TEMPLATE_DIR, docx_template, html_template

REBUILD = '.venv/bin/sunlight shell -c "from sunlight.cases.documents import document_templates_build as b; b()"'


def _body(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


@pytest.mark.parametrize("doc_type", sorted(SOURCES))
def test_stored_templates_are_built_from_the_layout(doc_type: str) -> None:
    assert doc_type in LAYOUTS
    stored_docx = (TEMPLATE_DIR / f"{doc_type}.docx").read_bytes()
    stored_html = (TEMPLATE_DIR / f"{doc_type}.html").read_text(encoding="utf-8")
    assert _body(stored_docx) == _body(docx_template(doc_type)), f"rebuild the templates: {REBUILD}"
    assert stored_html == html_template(doc_type), f"rebuild the templates: {REBUILD}"
    assert docx_template(doc_type) == docx_template(doc_type)  # deterministic

    title = str(DocumentType(doc_type).label)
    text = "".join(p.text for p in Document(io.BytesIO(stored_docx)).paragraphs)
    assert title in text and "{{ agency.name }}" in text
    assert f"<h1>{title}</h1>" in stored_html and 'extends "cases/documents/base.html"' in stored_html


def test_a_layout_cannot_hold_other_template_syntax() -> None:
    from sunlight.cases.documents import _checked

    with pytest.raises(ValueError):
        _checked("{{ party.name|upper }}")
    with pytest.raises(ValueError):
        _checked("{% load static %}")
    with pytest.raises(ValueError):
        _checked("{{ seizure.items }}")  # Jinja would read dict.items
    assert _checked("当事人：{{ party.name }}") == "当事人：{{ party.name }}"
