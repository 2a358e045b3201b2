"""Command line: ``kg build INPUT... --out DIR`` (also ``python -m kg``)."""
from __future__ import annotations

import argparse
import json
import os
import sys

__all__ = ["main"]


def _build(args) -> int:
    from .build import InputError, build, summary_text
    try:
        kg = build(args.inputs, min_confidence=args.min_confidence)
    except InputError as err:
        print(f"kg build: error: {err}", file=sys.stderr)
        return 2
    formats = None
    if args.rdf_format and args.rdf_format != "turtle":
        from .export import DEFAULT_OUTPUTS
        formats = [f for f in DEFAULT_OUTPUTS if f != "ttl"] + [{"nt": "nt", "json-ld": "jsonld"}[args.rdf_format]]
    kg.write(args.out, formats)
    for w in kg.report["warnings"]:
        print(f"warning: {w}", file=sys.stderr)
    print(summary_text(kg.report))
    print(f"outputs in {os.path.abspath(args.out)}")
    return 0 if kg.report["paper_records"] or not kg.report["files_read"] and False else (
        0 if kg.report["paper_records"] else 1)


def make_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from AI paper reviews.")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the graph of review files and folders")
    b.add_argument("inputs", nargs="+", help="review files and/or folders")
    b.add_argument("--out", default="out", help="output folder (default: out)")
    b.add_argument("--min-confidence", type=float, default=0.0,
                   help="drop relationships with confidence below this (0-1)")
    b.add_argument("--rdf-format", choices=("turtle", "nt", "json-ld"), default="turtle")
    b.set_defaults(func=_build)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
