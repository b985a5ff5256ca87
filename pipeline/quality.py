"""Triage: what a reader of many documents checks first. For each document its kind (by its
title, rules/kinds.tsv; a cover notice by what it transmits), which header fields were found, how
many headings, notes read and note-like phrases left unread, annex tables found and understood,
and the reasons to look at it (`check`)."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import regex

from policyparse.model import (
    Annex,
    DocumentKind,
    Finding,
    FindingCode,
    Header,
    Quality,
    Responsibility,
    Scope,
    Section,
    TableKind,
)
from policyparse.rules import Rules

# A draft's subtitle: the kind is that of the document it would be when adopted.
_DRAFT = regex.compile(r"[（(](?:征求意见稿|送审稿|草案|讨论稿)[）)]")
# Headings written as questions make a Q&A page.
_QUESTION = regex.compile(r"[？?]$")
HEADER_FIELDS = ("title", "issuers", "doc_number", "date", "recipients")


def summary(quality_csv: Path) -> str:
    """One line over a dataset's quality.csv: the kinds, header fields found, notes read, annex
    tables understood, and how many documents to check first (those with a reason in `check`)."""
    try:
        with open(quality_csv, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError:
        return f"{quality_csv}: no quality table"
    kinds = Counter(row["kind"] for row in rows)
    found = Counter(name for row in rows for name in row["header_found"].split("、") if name)
    read, unread = (sum(int(row[k] or 0) for row in rows) for k in ("notes_read", "notes_unread"))
    tables, understood = (sum(int(row[k] or 0) for row in rows) for k in ("annex_tables", "annex_tables_understood"))
    check = sum(1 for row in rows if row["check"])
    return (f"quality: {len(rows)} documents: " + ", ".join(f"{n} {k}" for k, n in kinds.most_common())
            + f"; title {found['title']}, issuer {found['issuers']}, date {found['date']}, 文号 {found['doc_number']}"
            + f"; notes read {read} of {read + unread}; annex tables understood {understood} of {tables}"
            + f"; {check} to check first (quality.csv, column check)")


def kind_of(header: Header, sections: tuple[Section, ...], rules: Rules) -> DocumentKind:
    title = _DRAFT.sub("", header.title.value) if header.title else ""
    rule = next((r for r in rules.kinds if title and r.pattern.search(title)), None)
    if rule is not None:
        return DocumentKind(rule.kind)
    questions = sum(1 for s in sections if _QUESTION.search(s.title))
    return DocumentKind.QA if questions >= 2 else DocumentKind.OTHER


def assess(header: Header, sections: tuple[Section, ...], annexes: tuple[Annex, ...],
           responsibilities: tuple[Responsibility, ...], findings: tuple[Finding, ...], rules: Rules) -> Quality:
    found = tuple(name for name in HEADER_FIELDS if getattr(header, name))
    notes = len({(r.note_start, r.note_end) for r in responsibilities if r.scope == Scope.SECTION})
    unread = sum(1 for f in findings if f.code == FindingCode.NOTE_UNREAD)
    tables = [t for a in annexes for t in a.tables]
    understood = sum(1 for t in tables if t.kind != TableKind.OTHER)
    check = tuple(reason for reason, holds in (
        ("no title", "title" not in found), ("no issuer", "issuers" not in found), ("no date", "date" not in found),
        ("notes unread", unread > 0), ("annex table not understood", understood < len(tables)),
        ("no sections", not sections)) if holds)
    return Quality(kind=kind_of(header, sections, rules), header_found=found, sections=len(sections),
                   notes_read=notes, notes_unread=unread, annex_tables=len(tables), annex_tables_understood=understood,
                   check=check)
