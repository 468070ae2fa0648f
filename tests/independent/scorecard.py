#!/usr/bin/env python3
"""Independent implementation of the DfE Adoption Scorecard timeliness indicators
(A1, A10, A2, A3), written from /work/shared/spec/indicators.md sections 0-2,
ssda903.md sections 1-2 and targets.md only (not from the engine's source).

Usage: scorecard.py [--debug] DIR_OR_CSV [DIR_OR_CSV ...]

Several directories are treated as successive annual files in the order given
(a later argument is a "later file"); the CSV files of one directory are taken
in name order. Prints a JSON list of {id, window, value, n, count} on stdout;
with --debug, adds the child-level list of each indicator.

Python 3.11 standard library only.
"""
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from fractions import Fraction

# ---------------------------------------------------------------- reading ---

TABLES = {
    # table: (columns that identify it, columns we need)
    "Episodes": ({"CHILD", "DECOM", "RNE", "LS", "PLACE"},
                 ["CHILD", "DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "DEC", "REC"]),
    "AD1": ({"CHILD", "DATE_MATCH", "FOSTER_CARE"}, ["CHILD", "DATE_MATCH", "FOSTER_CARE"]),
    "PlacedAdoption": ({"CHILD", "DATE_PLACED", "DATE_PLACED_CEASED"},
                       ["CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"]),
}

DIAG = []


def diag(msg):
    DIAG.append(msg)


def read_text(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def parse_date(s):
    """dd/mm/yyyy (also d/m/yyyy, yyyy-mm-dd, dd-mm-yyyy). None if blank; 'BAD' if unreadable."""
    s = (s or "").strip()
    if not s:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s) or re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", s)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    return "BAD"


def list_files(args):
    files = []
    for a in args:
        if os.path.isdir(a):
            for name in sorted(os.listdir(a)):
                p = os.path.join(a, name)
                if os.path.isfile(p) and name.lower().endswith(".csv"):
                    files.append(p)
        else:
            files.append(a)
    return files


def read_tables(args):
    """Returns {table: [(file_index, row_index, rowdict), ...]} in file order."""
    out = {t: [] for t in TABLES}
    for fi, path in enumerate(list_files(args)):
        text = read_text(path)
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            continue
        cols = [c.strip().upper() for c in rows[0]]
        table = None
        for t, (ident, _) in TABLES.items():
            if ident <= set(cols):
                table = t
                break
        if table is None:
            continue
        idx = {c: i for i, c in enumerate(cols)}
        for ri, r in enumerate(rows[1:], start=2):
            if not any(x.strip() for x in r):
                continue
            d = {}
            for c in TABLES[table][1]:
                i = idx.get(c)
                d[c] = r[i].strip() if i is not None and i < len(r) else ""
            out[table].append((fi, ri, d, path))
    return out


# ---------------------------------------------------------------- stitching ---

def code(s):
    return (s or "").strip().upper()


def load(args):
    tabs = read_tables(args)

    # Episodes: key CHILD+DECOM; identical rows dedup; later file wins (this covers
    # "open in one file, closed in a later one": the later, closed version replaces it).
    episodes = {}  # (child, decom) -> episode dict
    order = 0
    for fi, ri, d, path in tabs["Episodes"]:
        child = d["CHILD"]
        decom = parse_date(d["DECOM"])
        if not child or decom is None or decom == "BAD":
            diag(f"episode excluded (no CHILD / unreadable DECOM): {path} row {ri}")
            continue
        dec = parse_date(d["DEC"])
        if dec == "BAD":
            diag(f"unreadable DEC treated as blank: {path} row {ri}")
            dec = None
        ep = {
            "child": child, "decom": decom, "dec": dec,
            "rne": code(d["RNE"]), "ls": code(d["LS"]), "place": code(d["PLACE"]),
            "rec": code(d["REC"]), "file": fi, "order": order,
            "raw": tuple(sorted(d.items())),
        }
        order += 1
        key = (child, decom)
        old = episodes.get(key)
        if old is None:
            episodes[key] = ep
            continue
        if old["raw"] == ep["raw"]:
            continue  # identical row: de-duplicated silently
        if old["dec"] is not None and ep["dec"] is None and ep["file"] > old["file"]:
            diag(f"conflict on {key}: closed earlier, open later; later file wins (1.5)")
        elif not (old["dec"] is None and ep["dec"] is not None):
            diag(f"conflict on {key}: later row wins")
        episodes[key] = ep

    # AD1: identical rows dedup; keep all distinct rows.
    ad1 = {}
    seen = set()
    for fi, ri, d, path in tabs["AD1"]:
        k = tuple(sorted(d.items()))
        if k in seen:
            continue
        seen.add(k)
        m = parse_date(d["DATE_MATCH"])
        if m == "BAD":
            m = None
        ad1.setdefault(d["CHILD"], []).append({"match": m, "foster_care": d["FOSTER_CARE"].strip()})

    # PlacedAdoption: key CHILD+DATE_PLACED, stitched like episodes (1.5 "likewise"): identical rows
    # de-duplicated; a decision not ceased in one file and ceased in a later file is replaced by the
    # ceased one; any other conflict: the later file (row) wins.
    pa = {}
    for fi, ri, d, path in tabs["PlacedAdoption"]:
        child = d["CHILD"]
        placed = parse_date(d["DATE_PLACED"])
        if not child or placed is None or placed == "BAD":
            continue
        ceased = parse_date(d["DATE_PLACED_CEASED"])
        if ceased == "BAD":
            ceased = None
        rec = {"placed": placed, "ceased": ceased}
        key = (child, placed)
        old = pa.get(key)
        if old is not None and old != rec and not (old["ceased"] is None and ceased is not None):
            diag(f"decision conflict on {key}: later row wins")
        pa[key] = rec
    decisions = {}
    for (child, _), rec in pa.items():
        decisions.setdefault(child, []).append(rec)
    return episodes, ad1, decisions


# ---------------------------------------------------------------- periods ---

A_PLACES = {"A3", "A4", "A5", "A6"}


def periods_of_care(episodes):
    by_child = {}
    for ep in episodes.values():
        if ep["ls"] in ("V3", "V4"):
            continue  # short breaks dropped from all indicators
        by_child.setdefault(ep["child"], []).append(ep)
    periods = []
    for child, eps in by_child.items():
        eps.sort(key=lambda e: (e["decom"], e["dec"] is None, e["dec"] or dt.date.min, e["order"]))
        cur = []
        for e in eps:
            if cur:
                prev = cur[-1]
                if e["rne"] != "S" and prev["dec"] is not None and e["decom"] == prev["dec"] and prev["rec"] == "X1":
                    cur.append(e)
                    continue
                periods.append(cur)
            cur = [e]
        if cur:
            periods.append(cur)
    out = []
    for eps in periods:
        out.append({
            "child": eps[0]["child"], "eps": eps,
            "start": eps[0]["decom"], "end": eps[-1]["dec"], "reason": eps[-1]["rec"],
        })
    return out


def final_run_start(eps):
    """Index of the first episode of the last unbroken A3-A6 run that ends the period, or None."""
    if not eps or eps[-1]["place"] not in A_PLACES:
        return None
    i = len(eps) - 1
    while i > 0 and eps[i - 1]["place"] in A_PLACES:
        i -= 1
    return i


# ---------------------------------------------------------------- maths ---

def round_half_up_div(num, den):
    """round(num/den) halves up, exact (num may be negative)."""
    f = Fraction(num, den)
    return (f + Fraction(1, 2)).__floor__()


def mean_days(vals):
    if not vals:
        return None
    return round_half_up_div(sum(vals), len(vals))


def pct1(count, n):
    if not n:
        return None
    tenths = round_half_up_div(1000 * count, n)
    return tenths / 10 if tenths % 10 else float(tenths // 10)


A3_MONTHS = {2011: 21, 2012: 21, 2013: 20, 2014: 18, 2015: 16, 2016: 14}


def a3_limit(year_end):
    """A3 limit in days for a window ending 31 March year_end; None before the first listed window."""
    if year_end < min(A3_MONTHS):
        return None
    months = A3_MONTHS[min(year_end, max(A3_MONTHS))]
    return (Fraction(months) * Fraction(304375, 10000)).__floor__()


# ---------------------------------------------------------------- indicators ---

def compute(args, debug=False):
    episodes, ad1, decisions = load(args)
    periods = periods_of_care(episodes)

    # windows: every collection year from the earliest to the latest episode date
    all_dates = [e["decom"] for e in episodes.values()] + [e["dec"] for e in episodes.values() if e["dec"]]
    if not all_dates:
        return []

    def cy(d):
        return d.year + 1 if d.month >= 4 else d.year

    years = list(range(cy(min(all_dates)), cy(max(all_dates)) + 1))
    windows = [(f"{y - 1}-{str(y)[2:]}", dt.date(y - 1, 4, 1), dt.date(y, 3, 31), y) for y in years]
    windows += [(f"{y - 3}-{str(y)[2:]}", dt.date(y - 3, 4, 1), dt.date(y, 3, 31), y)
                for y in years if y - 2 in years]

    # child-level facts for every adoption period
    adoptions = []
    for p in periods:
        if p["reason"] not in ("E11", "E12") or p["end"] is None:
            continue
        eps = p["eps"]
        rs = final_run_start(eps)
        rec = {"child": p["child"], "start": p["start"], "adopted": p["end"], "placed": None}
        if rs is None:
            rec["excluded"] = "no A3-A6 run ending the period"
            adoptions.append(rec)
            continue
        placed = eps[rs]["decom"]
        rec["placed"] = placed
        rec["a1"] = (placed - p["start"]).days
        rows = ad1.get(p["child"], [])
        # the AD1 row of this adoption: the one with the latest DATE_MATCH on or before the adoption
        # date (the spec's A2 rule for several rows); with no such row, any AD1 row of the child.
        dated = [r for r in rows if r["match"] is not None and r["match"] <= p["end"]]
        this_ad1 = [max(dated, key=lambda r: r["match"])] if dated else rows
        fc = any(r["foster_care"] == "1" for r in this_ad1)
        if eps[rs]["place"] in ("A3", "A5") or fc:
            j = rs
            while j > 0 and eps[j]["rne"] in ("L", "T", "U"):
                j -= 1
            rec["a10"] = (eps[j]["decom"] - p["start"]).days
        else:
            rec["a10"] = rec["a1"]
        auth = next((e["decom"] for e in eps if e["ls"] in ("E1", "D1")), None)
        matches = [r["match"] for r in rows if r["match"] is not None and r["match"] <= p["end"]]
        if auth is None:
            rec["a2_excluded"] = "no E1/D1 episode"
        elif not matches:
            rec["a2_excluded"] = "no AD1 row / blank DATE_MATCH"
        else:
            rec["a2"] = max(0, (max(matches) - auth).days)
        adoptions.append(rec)

    out = []
    for name, ws, we, yend in windows:
        cohort = [a for a in adoptions if ws <= a["adopted"] <= we and a["placed"] is not None]
        for ind, key in (("A1", "a1"), ("A10", "a10"), ("A2", "a2")):
            vals = [(a["child"], a[key]) for a in cohort if key in a]
            item = {"id": ind, "window": name, "value": mean_days([v for _, v in vals]),
                    "n": len(vals), "count": None}
            if debug:
                item["children"] = sorted(vals)
            out.append(item)
        limit = a3_limit(yend)
        if limit is None:
            continue
        a3 = [(a["child"], a["a1"], "adopted") for a in cohort]
        # "and not adopted": a child adopted in the window is not also one still in process
        adopted_children = {a["child"] for a in adoptions if ws <= a["adopted"] <= we}
        waiting = {}
        for p in periods:
            child = p["child"]
            if child in adopted_children:
                continue
            if not (p["start"] <= we and (p["end"] is None or p["end"] > we)):
                continue
            if not any(d["placed"] <= we and (d["ceased"] is None or d["ceased"] > we)
                       for d in decisions.get(child, [])):
                continue
            first_a = next((e["decom"] for e in p["eps"] if e["place"] in A_PLACES and e["decom"] <= we), None)
            wait_end = first_a if first_a is not None else we
            if child in waiting:
                diag(f"{child}: several open periods at {we}")
            waiting[child] = (child, (wait_end - p["start"]).days, "waiting")
        a3 += list(waiting.values())
        count = sum(1 for _, d, _ in a3 if d < limit)
        # empty cohort: no percentage and no numerator (null, like the report's other absent values)
        item = {"id": "A3", "window": name, "value": pct1(count, len(a3)), "n": len(a3),
                "count": count if a3 else None}
        if debug:
            item["limit"] = limit
            item["children"] = sorted(a3)
        out.append(item)
    return out


def main(argv):
    debug = "--debug" in argv
    args = [a for a in argv if a != "--debug"]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    res = compute(args, debug)
    json.dump(res, sys.stdout, indent=1 if debug else None)
    print()
    if debug:
        for d in DIAG:
            print("diag:", d, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
