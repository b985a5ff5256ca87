"""Review pages as HTML strings: one page per document (its text with every target highlighted
and linked to its record, the annex as a table, the per-unit view, the findings, a chart of
targets by lead unit and kind), a side-by-side page for a diff, and an index. Pure functions
over documents (the model; a dataset JSON is read back with Document.from_dict) and diff records
(diff.json); emit_report writes them.

A page stands alone: no server, no network, no script; its CSS and its SVG chart are inline
and a Content-Security-Policy forbids loading anything else. Everything taken from a document
is escaped: the text is untrusted."""
from __future__ import annotations

from collections import defaultdict
from difflib import SequenceMatcher
from html import escape
from pathlib import Path

from policyparse.chart import stacked_bars
from policyparse.emit import cell
from policyparse.model import Document, Field, Responsibility, Role, Scope, Source, Target, UnitEntry, to_json

CSS = Path(__file__).with_name("report.css").read_text(encoding="utf-8")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
# The target kinds of the dataset contract, in its order, with colour-blind-safe colours.
KIND_COLOURS = {"level": "#0072B2", "increment": "#E69F00", "growth_rate": "#009E73", "share": "#CC79A7",
                "cumulative": "#56B4E9", "reduction": "#D55E00"}
OTHER_COLOUR = "#999999"
COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
NO_LEAD = "(no lead unit)"


def e(value) -> str:
    """Escaped text of a value; empty for null."""
    return "" if value is None else escape(str(value), quote=True)


def fmt_number(value) -> str:
    """A value as a reader sees it: numbers with thousands separators, the rest as in a CSV cell."""
    value = to_json(value)  # a Decimal as the dataset writes it: an int when whole, else a float
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return cell(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4f}".rstrip("0").rstrip(".")


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="policyparse">\n<title>{e(title)}</title>\n'
            f'<style>\n{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n')


def _table(head: list[str], rows: list[str], cls: str = "") -> str:
    heads = "".join(f"<th>{h}</th>" for h in head)
    return (f'<table class="{cls}"><thead><tr>{heads}</tr></thead><tbody>\n' + "\n".join(rows)
            + "\n</tbody></table>") if rows else '<p class="none">None.</p>'


def _at(pos: int | None, label: str) -> str:
    """A link to a place in the document text."""
    return label if pos is None else f'<a href="#at-{pos}">{label}</a>'


def _path(path: str | None) -> str:
    """A section path, set off so that 一 does not read as a dash."""
    return f'<span class="path">{e(path)}</span>' if path else ""


# --- who leads what ---------------------------------------------------------------------------

def _name(r: Responsibility) -> str:
    return r.unit_full or r.unit


def target_leads(doc: Document) -> dict[str, list[str]]:
    """The lead units of each target's task: for an annex target its row's, for a body target
    the note of its section or, when it has none, of the nearest enclosing section that has one
    (a note after （一） covers 1．, 2．…)."""
    by_section: dict[str | None, list[Responsibility]] = defaultdict(list)
    by_row: dict[str | None, list[Responsibility]] = defaultdict(list)
    for r in doc.responsibilities:
        (by_row[r.annex_seq] if r.scope == Scope.ANNEX_ROW else by_section[r.section_path]).append(r)
    leads = {}
    for t in doc.targets:
        if t.source == Source.ANNEX:
            notes = by_row.get(t.annex_seq, [])
        else:
            path = t.section_path
            while path and path not in by_section:
                path = path.rpartition("/")[0]
            notes = by_section.get(path, [])
        leads[t.target_id] = list(dict.fromkeys(_name(r) for r in notes if r.role == Role.LEAD))
    return leads


def _unit_anchors(units: list[UnitEntry]) -> dict[str, str]:
    return {u.unit: f"unit-{i}" for i, u in enumerate(units, start=1)}


def targets_chart(doc: Document, leads: dict[str, list[str]], units: list[UnitEntry]) -> str:
    if not doc.targets:
        return '<p class="none">None.</p>'
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for t in doc.targets:
        for unit in leads[t.target_id] or [NO_LEAD]:
            counts[unit][t.kind.value] += 1
    anchors = _unit_anchors(units)
    order = sorted(counts, key=lambda u: (u == NO_LEAD, -sum(counts[u].values()), u))
    present = {k for u in counts for k in counts[u]}
    kinds = {k: c for k, c in KIND_COLOURS.items() if k in present}
    kinds.update({k: OTHER_COLOUR for k in sorted(present - set(KIND_COLOURS))})
    rows = [(u, f"#{anchors[u]}" if u in anchors else None, dict(counts[u])) for u in order]
    return stacked_bars(rows, kinds, "Targets by lead unit and kind (a target with two lead units counts for both)")


# --- the document text, marked up -------------------------------------------------------------

def _target_title(t: Target, leads: list[str]) -> str:
    value = f"{COMPARATORS.get(t.comparator, t.comparator or '')} {fmt_number(t.value_base)} {t.base_unit}"
    hedge = f" · {t.modality}" + (" (hedged)" if t.hedged else "") if t.modality else ""
    return (f"{t.target_id} · {t.indicator or '(no indicator)'} {value.strip()} · {t.kind}{hedge}"
            f" · lead: {'、'.join(leads) or 'none'}")


def marked_text(doc: Document, leads: dict[str, list[str]], anchors: set[int]) -> str:
    """The document text, escaped, with every target a highlighted link to its record (its
    indicator underlined), headings in bold, unit names marked by role, the places findings
    point at underlined, and an empty anchor `at-N` at every offset N the page links to."""
    text = doc.text
    spans = [(s.start, s.title_end, "c", "h") for s in doc.sections]  # (start, end, layer, key)
    for t in doc.targets:
        spans.append((t.start, t.end, "t", t.target_id))
        if t.indicator_start is not None and t.indicator_end is not None:
            spans.append((t.indicator_start, t.indicator_end, "c", "ind"))
    for r in doc.responsibilities:
        spans.append((r.start, r.end, "c", f"u-{r.role}"))
    for f in doc.findings:
        spans.append((f.start, f.end, "f", f"{f.code}: {f.message}"))
    points = sorted(p for p in {0, len(text), *anchors, *(p for s in spans for p in s[:2])} if 0 <= p <= len(text))
    starts = defaultdict(list)
    for span in spans:
        if span[1] > span[0]:
            starts[span[0]].append(span)
    targets = {t.target_id: t for t in doc.targets}
    active: list = []
    out: list[str] = []
    open_targets: tuple = ()
    seen_targets: set[str] = set()
    for a, b in zip(points, points[1:]):
        active = [s for s in active if s[1] > a] + starts.get(a, [])
        here = tuple(sorted({s[3] for s in active if s[2] == "t"}, key=lambda k: (targets[k].start, k)))
        if here != open_targets:
            if open_targets:
                out.append("</a>")
            if here:
                out.append(_open_target(here, targets, leads, seen_targets))
            open_targets = here
        if a in anchors:
            out.append(f'<span class="at" id="at-{a}"></span>')
        piece = e(text[a:b])
        classes = sorted({s[3] for s in active if s[2] == "c"} | ({"f"} if any(s[2] == "f" for s in active) else set()))
        if classes:
            notes = "\n".join(sorted({s[3] for s in active if s[2] == "f"}))
            title = f' title="{e(notes)}"' if notes else ""
            piece = f'<span class="{" ".join(classes)}"{title}>{piece}</span>'
        out.append(piece)
    if open_targets:
        out.append("</a>")
    if len(text) in anchors:
        out.append(f'<span class="at" id="at-{len(text)}"></span>')
    return "".join(out)


def _open_target(ids: tuple[str, ...], targets: dict[str, Target], leads: dict, seen: set[str]) -> str:
    """The opening <a> of a highlighted run of text: it links to the innermost target there
    and names every target it belongs to; the first run of a target carries its `hl-` id (a
    second target starting at the same place, an empty anchor with its own)."""
    first = [i for i in ids if i not in seen]
    seen.update(ids)
    inner = targets[ids[-1]]
    anchor = f' id="hl-{e(first[0])}"' if first else ""
    title = "\n".join(_target_title(targets[i], leads[i]) for i in ids)
    return (f'<a class="t k-{e(inner.kind)}"{anchor} href="#{e(inner.target_id)}" '
            f'data-t="{e(" ".join(ids))}" title="{e(title)}">'
            + "".join(f'<span class="at" id="hl-{e(i)}"></span>' for i in first[1:]))


# --- the document page ------------------------------------------------------------------------

def _where_target(t: Target, section_start: dict[str, int]) -> str:
    if t.source == Source.ANNEX:
        return f'<a href="#annex-{e(t.annex_seq)}">annex {e(t.annex_seq)}</a>'
    return _at(section_start.get(t.section_path or ""), _path(t.section_path))


def _value(low, high, unit) -> str:
    span = fmt_number(low) if high in (None, low) else f"{fmt_number(low)}–{fmt_number(high)}"
    return f'<span class="num">{span}</span> {e(unit)}'


def _targets_table(doc: Document, leads: dict, section_start: dict, anchors: dict[str, str],
                   units: list[UnitEntry]) -> str:
    written = {u.unit: u.written_as[0] for u in units if u.written_as}
    rows = []
    for t in doc.targets:
        hedge = (f'<span class="chip hedge">{e(t.modality)}</span>' if t.hedged
                 else e(t.modality) if t.modality else "")
        lead = "<br>".join(f'<a href="#{anchors[u]}" title="{e(u)}">{e(written.get(u, u))}</a>' if u in anchors
                           else e(u) for u in leads[t.target_id]) or '<span class="none">none</span>'
        approx = ' <span class="chip">approx.</span>' if t.approximate else ""
        action = f'<div class="muted">action: {e(t.action)}</div>' if t.action else ""
        rows.append(
            f'<tr id="{e(t.target_id)}"><td><a href="#hl-{e(t.target_id)}">{e(t.target_id)}</a></td>'
            f'<td>{_where_target(t, section_start)}</td><td class="src">{e(t.text)}</td>'
            f'<td>{e(t.indicator)}{action}</td>'
            f'<td class="r">{_value(t.value_low, t.value_high, t.unit)}</td>'
            f'<td class="c">{e(COMPARATORS.get(t.comparator, t.comparator))}{approx}</td>'
            f'<td class="r">{_value(t.value_base, t.value_base_high, t.base_unit)}</td>'
            f'<td><span class="chip k-{e(t.kind)}">{e(t.kind)}</span></td><td>{hedge}</td>'
            f'<td>{e(t.deadline)}</td><td>{lead}</td></tr>')
    return _table(["id", "where", "text", "indicator", "value", "cmp", "value_base", "kind", "hedge",
                   "deadline", "lead unit"], rows, "targets")


def _annex_table(doc: Document, section_start: dict) -> str:
    by_row = defaultdict(list)
    for t in doc.targets:
        if t.source == Source.ANNEX:
            by_row[t.annex_seq].append(t.target_id)
    rows = []
    for r in doc.annex_rows:
        filled = "" if r.measure else ' class="filled" title="filled down from the row above"'
        link = (_at(section_start.get(r.link_section), _path(r.link_section)) + f' <span class="score">'
                f'{fmt_number(r.link_score)}</span>') if r.link_section else \
            '<span class="none">unlinked</span>'
        ids = " ".join(f'<a href="#{e(i)}">{e(i)}</a>' for i in by_row[r.seq])
        rows.append(f'<tr id="annex-{e(r.seq)}"><td>{_at(r.start, e(r.seq))}</td>'
                    f'<td{filled}>{e(r.measure_filled)}</td><td class="src">{e(r.task)}</td>'
                    f'<td>{e(r.units_raw)}</td><td>{e(r.support_units_raw)}</td><td>{link}</td>'
                    f'<td>{ids}</td></tr>')
    title = f'<p class="caption">{e(_text(doc.annex_title))}</p>' if doc.annex_rows else ""
    return title + _table(["seq", "主要举措 measure", "重点任务 task", "责任单位 units", "配合单位 support",
                           "body section (score)", "targets"], rows, "annex")


def _units_view(units: list[UnitEntry], anchors: dict[str, str]) -> str:
    blocks = []
    for u in units:
        rows = []
        for task in u.tasks:
            where = (f'<a href="#annex-{e(task.annex_seq)}">annex {e(task.annex_seq)}</a>'
                     if task.scope == Scope.ANNEX_ROW else _path(task.section_path))
            targets = " ".join(f'<a href="#{e(t.target_id)}" title="{e(t.text)}">{e(t.target_id)}</a>'
                               for t in task.targets)
            rows.append(f'<tr><td><span class="chip role-{e(task.role)}">{e(task.role)}</span></td>'
                        f'<td>{where}</td><td>{_at(task.start, e(task.raw))}</td><td>{e(task.task)}</td>'
                        f'<td>{targets}</td></tr>')
        flags = ' <span class="chip">generic</span>' if u.generic else (
            "" if u.unit_full else ' <span class="chip warn">unknown name</span>')
        written = "、".join(u.written_as)
        blocks.append(
            f'<details id="{anchors[u.unit]}" open><summary><b>{e(u.unit)}</b>{flags} '
            f'<span class="muted">{e(written)} · lead {u.lead} · support {u.support} · '
            f'unspecified {u.unspecified}</span></summary>'
            + _table(["role", "where", "as written", "task", "targets"], rows, "units") + "</details>")
    return "\n".join(blocks) or '<p class="none">None.</p>'


def _findings_table(doc: Document) -> str:
    rows = []
    for f in doc.findings:
        related = _at(f.related_start, e(f.related_where)) if f.related_where is not None else ""
        rows.append(f'<tr><td><span class="chip code">{e(f.code)}</span></td>'
                    f'<td>{_at(f.start, e(f.where))}</td><td>{e(f.message)}</td><td>{related}</td></tr>')
    return _table(["code", "where", "finding", "other side"], rows, "findings")


def _text(f: Field | None) -> str | None:
    return None if f is None else f.value


def _header(doc: Document, counts: list[tuple[str, str, int]]) -> str:
    h = doc.header
    meta = [e(_text(h.issuer)), e(_text(h.doc_number)), e(_text(h.date)),
            f'plan year {e(h.year)}' if h.year else "",
            f'<code>{e(doc.source)}</code>', f'<span title="sha256">{e((doc.sha256 or "")[:12])}</span>']
    nav = " ".join(f'<a href="#{anchor}">{n} {label}</a>' for label, anchor, n in counts)
    return (f'<header><h1>{e(_text(h.title) or _text(h.notice_title) or doc.doc_id)}</h1>'
            f'<p class="meta">{" · ".join(m for m in meta if m)}</p><nav>{nav}</nav></header>')


LEGEND = ('<p class="legend"><span class="t k-level">target</span> (colour = kind; hover for the record, click to '
          'open it) · <span class="ind">indicator</span> · unit: <span class="u-lead">lead</span> '
          '<span class="u-support">support</span> <span class="u-unspecified">unspecified</span> · '
          '<span class="f">what a finding points at</span></p>')


def document_page(doc: Document) -> str:
    """The review page of one document."""
    leads = target_leads(doc)
    units = doc.by_unit()
    unit_anchors = _unit_anchors(units)
    section_start = {s.path: s.start for s in doc.sections}
    anchors = {*section_start.values(), *(r.start for r in doc.annex_rows),
               *(task.start for u in units for task in u.tasks),
               *(p for f in doc.findings for p in (f.start, f.related_start) if p is not None)}
    counts = [("targets", "targets", len(doc.targets)), ("annex rows", "annex", len(doc.annex_rows)),
              ("units", "units", len(units)), ("findings", "findings", len(doc.findings))]
    body = (
        _header(doc, counts)
        + '<main class="split">'
        + f'<section id="text" class="pane"><h2>原文 Document text</h2>{LEGEND}'
          f'<div class="doc">{marked_text(doc, leads, anchors)}</div></section>'
        + '<div class="pane records">'
        + f'<section id="chart"><h2>Targets by lead unit and kind</h2>{targets_chart(doc, leads, units)}</section>'
        + f'<section id="targets"><h2>指标 Targets <span class="n">{len(doc.targets)}</span></h2>'
          f'{_targets_table(doc, leads, section_start, unit_anchors, units)}</section>'
        + f'<section id="annex"><h2>附件 Annex <span class="n">{len(doc.annex_rows)}</span></h2>'
          f'{_annex_table(doc, section_start)}</section>'
        + f'<section id="units"><h2>责任单位 By unit <span class="n">{len(units)}</span></h2>'
          f'{_units_view(units, unit_anchors)}</section>'
        + f'<section id="findings"><h2>问题 Findings <span class="n">{len(doc.findings)}</span></h2>'
          f'{_findings_table(doc)}</section>'
        + "</div></main>")
    return page(f'{_text(doc.header.title) or doc.doc_id} · policyparse', body)


def summary(doc: Document) -> dict:
    """What the index shows of a document (so a long run need not keep every text)."""
    return {"doc_id": doc.doc_id, "title": _text(doc.header.title) or doc.doc_id, "issuer": _text(doc.header.issuer),
            "year": doc.header.year, "targets": len(doc.targets), "annex_rows": len(doc.annex_rows),
            "findings": len(doc.findings)}


def index_page(summaries: list[dict]) -> str:
    """A list of the reports written (`<doc_id>.html` beside it), each with its counts."""
    rows = [f'<tr><td><a href="{e(s["doc_id"])}.html">{e(s["title"])}</a></td><td>{e(s["issuer"])}</td>'
            f'<td class="r">{e(s["year"])}</td>'
            + "".join(f'<td class="r">{s[k]}</td>' for k in ("targets", "annex_rows", "findings")) + "</tr>"
            for s in summaries]
    body = ('<header><h1>policyparse reports</h1></header><main class="single">'
            + _table(["document", "issuer", "year", "targets", "annex rows", "findings"], rows, "index") + "</main>")
    return page("policyparse reports", body)


# --- the diff page ----------------------------------------------------------------------------

def inline_diff(old: str, new: str) -> tuple[str, str]:
    """Both texts escaped, with what only the old one has in <del> and only the new in <ins>."""
    a, b = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            a.append(e(old[i1:i2]))
            b.append(e(new[j1:j2]))
            continue
        if i2 > i1:
            a.append(f"<del>{e(old[i1:i2])}</del>")
        if j2 > j1:
            b.append(f"<ins>{e(new[j1:j2])}</ins>")
    return "".join(a), "".join(b)


def _change_values(c: dict) -> tuple[str, str]:
    old, new = c["old"], c["new"]
    if isinstance(old, list) or isinstance(new, list):
        before, after = old or [], new or []
        return ("、".join(f"<del>{e(u)}</del>" if u not in after else e(u) for u in before),
                "、".join(f"<ins>{e(u)}</ins>" if u not in before else e(u) for u in after))
    if c["change"] in ("measure_renamed", "row_added", "row_removed") and old and new:
        return inline_diff(old, new)
    before, after = ("" if v is None else
                     f'<span class="num">{e(COMPARATORS.get(v, v) if isinstance(v, str) else fmt_number(v))}</span>'
                     for v in (old, new))
    return before, after


def _where(where: str | None) -> str:
    return e(where) if where is None or where.startswith("annex") else _path(where)


def _change_row(c: dict) -> str:
    old_value, new_value = _change_values(c)
    text_old, text_new = (inline_diff(c["text_old"], c["text_new"]) if c["text_old"] and c["text_new"]
                          else (e(c["text_old"]), e(c["text_new"])))
    relative = "" if c["relative_change"] is None else f'{c["relative_change"]:+.1%}'
    trend = "" if c["relative_change"] is None else (" up" if c["relative_change"] > 0 else " down")
    old_side = f'<div class="v">{old_value}</div><div class="src">{text_old}</div>' if c["where_old"] else ""
    new_side = f'<div class="v">{new_value}</div><div class="src">{text_new}</div>' if c["where_new"] else ""
    return (f'<tr><td class="w">{_where(c["where_old"])}</td><td class="old">{old_side}</td>'
            f'<td class="w">{_where(c["where_new"])}</td><td class="new">{new_side}</td>'
            f'<td>{e(c["indicator"])}</td><td class="r rel{trend}">{relative}</td>'
            f'<td class="r score">{e(fmt_number(c["score"]))}</td></tr>')


def diff_page(data: dict) -> str:
    """The changes of a diff record (diff.json), grouped by type, old and new side by side."""
    old, new = data["old"], data["new"]
    groups: dict[str, list[dict]] = {}
    for c in data["changes"]:
        groups.setdefault(c["change"], []).append(c)
    old_label, new_label = e(old.get("year") or old["doc_id"]), e(new.get("year") or new["doc_id"])
    summary = _table(["change", "count"], [f'<tr><td><a href="#{e(k)}">{e(k)}</a></td><td class="r">{len(v)}</td>'
                                           f'</tr>' for k, v in groups.items()], "summary")
    sections = []
    for kind, changes in groups.items():
        head = ["where", f"old ({old_label})", "where", f"new ({new_label})", "indicator", "Δ value", "score"]
        sections.append(f'<section id="{e(kind)}"><h2>{e(kind)} <span class="n">{len(changes)}</span></h2>'
                        + _table(head, [_change_row(c) for c in changes], "diff") + "</section>")
    body = (f'<header><h1>{e(old.get("title") or old["doc_id"])} → {e(new.get("title") or new["doc_id"])}</h1>'
            f'<p class="meta">Comparing <code>{e(old["doc_id"])}</code> ({old_label}) with '
            f'<code>{e(new["doc_id"])}</code> ({new_label}): <del>only in the old plan</del> · '
            f'<ins>only in the new plan</ins></p></header><main class="single">'
            + "<h2>Changes</h2>" + (summary if groups else '<p class="none">No changes.</p>') + "".join(sections)
            + "</main>")
    return page(f'diff {old["doc_id"]} → {new["doc_id"]} · policyparse', body)
