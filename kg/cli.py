"""Command line: ``kg build INPUT... --out DIR`` (also ``python -m kg``)."""
from __future__ import annotations

import argparse
import json
import os
import sys

__all__ = ["main", "run"]


#: exit codes of ``kg build`` (README "Exit codes")
EXIT_NOTHING_READ, EXIT_USAGE, EXIT_BUSY, EXIT_WRITE = 1, 2, 3, 4


def _build(args) -> int:
    from .state import has_state
    if args.max_file_size is not None:  # read by every extraction process (kg.readers.common.max_file_bytes)
        os.environ["KG_MAX_FILE_SIZE"] = str(args.max_file_size)
    cache = None if args.no_cache else (args.cache or os.path.join(args.out, ".kg-cache"))
    other_rdf = args.rdf_format and args.rdf_format != "turtle"  # only the default outputs update in place
    formats = None
    if other_rdf:
        from .export import DEFAULT_OUTPUTS
        formats = [f for f in DEFAULT_OUTPUTS if f != "ttl"] + [{"nt": "nt", "json-ld": "jsonld"}[args.rdf_format]]
    opts = dict(min_confidence=args.min_confidence, jobs=args.jobs, cache_dir=cache, formats=formats)
    if args.watch:
        return _watch(args, opts)
    worker = None
    if cache and not other_rdf and has_state(args.out):  # an in-place update is likely
        from .process import ExtractionWorker
        worker = ExtractionWorker()  # extracts while this process loads the build state
    from .build import REVIEW_SUFFIXES, InputError
    from .incremental import build_into
    from .outdir import OutputBusy, WriteFailed
    try:
        report = build_into(args.inputs, args.out, worker=worker, wait=not args.no_wait,
                            on_wait=lambda msg: print(f"kg build: {msg}", file=sys.stderr, flush=True), **opts)
    except InputError as err:
        print(f"kg build: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except OutputBusy as err:
        print(f"kg build: error: {err}", file=sys.stderr)
        return EXIT_BUSY
    except WriteFailed as err:
        print(f"kg build: error: {err}", file=sys.stderr)
        return EXIT_WRITE
    if not report["files_read"]:
        print(f"kg build: error: no review files under {', '.join(args.inputs)} (kg reads "
              f"{', '.join(REVIEW_SUFFIXES)} files); nothing was built", file=sys.stderr)
        return EXIT_NOTHING_READ
    _print_build(report, args.out)
    if not report["paper_records"]:
        print(f"kg build: error: {report['files_read']} file(s) read, but no paper review was found in them "
              "(see the skipped list above)", file=sys.stderr)
        return EXIT_NOTHING_READ
    return 0


def _print_build(report: dict, out: str) -> None:
    from .build import summary_text
    warnings = report["warnings"]
    for w in warnings[:20]:
        print(f"warning: {w}", file=sys.stderr)
    if len(warnings) > 20:
        print(f"warning: … {len(warnings) - 20} more warnings in report.json", file=sys.stderr)
    print(summary_text(report))
    inc = report.get("incremental", {})
    if "files_extracted" in inc:
        print(f"updated in place: {inc['files_extracted']} file(s) extracted, {inc['files_removed']} removed, "
              f"{inc['elements_changed']} graph elements changed")
    print(f"outputs in {os.path.abspath(out)}")


def _watch(args, opts: dict) -> int:
    """``kg build --watch``: build, then again after every change, until Ctrl-C / SIGTERM
    (a build under way is finished first, so the outputs are never left half-updated)."""
    import signal
    import threading
    import time
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # before any process is started: they inherit it
        signal.signal(sig, lambda *_: stop.set())
    from .watch import watch

    def built(report: dict, seconds: float) -> None:
        _print_build(report, args.out)
        how = "updated in place" if "files_extracted" in report.get("incremental", {}) else "built"
        print(f"[{time.strftime('%H:%M:%S')}] {how} in {seconds:.2f} s; watching {', '.join(args.inputs)} "
              f"(Ctrl-C stops)", flush=True)

    def failed(message: str) -> None:
        print(f"kg build: error: {message}; still watching", file=sys.stderr, flush=True)

    watch(args.inputs, args.out, poll=args.poll, on_build=built, on_error=failed, stop=stop, **opts)
    print("kg build --watch: stopped", flush=True)
    return 0


def _read_query(args) -> str:
    """The query text, from the argument or ``--file`` (a clear QueryError for a file that cannot be one)."""
    from .query import QueryError
    if args.file:
        try:
            if os.path.getsize(args.file) > 10 * 1024 * 1024:
                raise QueryError(f"{args.file}: over 10 MB, not a query file")
            with open(args.file, encoding="utf-8") as fh:
                text = fh.read()
        except UnicodeDecodeError:
            raise QueryError(f"{args.file}: not a UTF-8 text file") from None
        except OSError as err:
            raise QueryError(f"{args.file}: {err.strerror or err}") from None
        if "\x00" in text:
            raise QueryError(f"{args.file}: holds NUL bytes, not a query file")
        return text
    if not args.query:
        raise SystemExit("kg query: give a query or --file Q")
    return args.query


def _query_sparql(args) -> int:
    from .query import QueryError, format_rows
    from .query.guard import run_query
    from .query.sparql import load_store
    try:
        query = _read_query(args)
        cols, rows, truncated = run_query(load_store(args.graph), query, _limits(args))
    except (QueryError, OSError, UnicodeDecodeError) as err:
        print(f"kg query sparql: {err}", file=sys.stderr)
        return 1
    print(format_rows(cols, rows, args.format))
    if truncated:
        print(f"kg query sparql: only the first {args.max_rows} rows (--max-rows)", file=sys.stderr)
    return 0


def _serve_sparql(args) -> int:
    from .query import QueryError
    from .query.server import make_server
    from .query.sparql import load_store
    try:
        server = make_server(load_store(args.graph), "127.0.0.1", args.port, _limits(args), set(args.allow_host))
    except (QueryError, OSError) as err:
        print(f"kg serve sparql: {err}", file=sys.stderr)
        return 1
    print(f"SPARQL endpoint (read-only): http://127.0.0.1:{server.server_port}/sparql", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _validate(args) -> int:
    from rdflib import Graph

    from .query import QueryError
    from .query.sparql import rdf_file, validate_shacl
    try:
        path, fmt = rdf_file(args.graph)
    except QueryError as err:
        print(f"kg validate: {err}", file=sys.stderr)
        return 1
    g = Graph().parse(path, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt.file_extension])
    conforms, problems = validate_shacl(g)
    for p in problems:
        print(f"violation: {p}")
    print(f"SHACL: {'conforms' if conforms else 'does not conform'} ({len(g)} triples, {len(problems)} violations)")
    return 0 if conforms else 1


def _stats(args) -> int:
    from . import analysis as ka
    from .graph import KnowledgeGraph
    try:
        G = KnowledgeGraph.from_jsonl(args.graph).to_networkx()
    except OSError as err:
        print(f"kg stats: {err}", file=sys.stderr)
        return 1
    t = ka.summary_tables(G, args.top)
    if args.json:
        print(json.dumps(t, ensure_ascii=False, indent=1))
    else:
        print(f"nodes {t['nodes']}  relationships {t['edges']}")
        print("\ncentrality (degree, pagerank) per type:")
        for typ, rows in t["centrality"].items():
            print(f"  {typ}: " + "; ".join(f"{n} ({d}, {p})" for n, d, p in rows))
        print("\nmost-evaluated benchmarks:")
        for n, c in t["top_benchmarks"]:
            print(f"  {c:>4}  {n}")
        print("\nmost-active organisations:")
        for n, c in t["top_organizations"]:
            print(f"  {c:>4}  {n}")
        lin = t["lineage"]
        print(f"\nimproves-on lineage ({lin['edges']} method→method edges), longest chains:")
        for chain in lin["longest"]:
            print("  " + " → ".join(chain))
        print("  cycles: " + ("; ".join(" → ".join(c) for c in lin["cycles"]) or "none"))
        print("\ncommunities (size: members):")
        for size, names in t["communities"]:
            print(f"  {size:>4}: " + ", ".join(names))
        print("\ntimeline (date: papers, methods, benchmarks):")
        for d, p, m, b in t["timeline"]:
            print(f"  {d}: {p}, {m}, {b}")
    if args.plots:
        os.makedirs(args.plots, exist_ok=True)
        for path in ka.write_plots(G, args.plots):
            print(f"plot: {path}")
    return 0


def _leaderboard(args) -> int:
    from .analysis import leaderboard
    try:
        G = _graph_for([args.graph]).to_networkx()
    except OSError as err:
        print(f"kg leaderboard: {err}", file=sys.stderr)
        return 1
    rows = leaderboard(G, args.benchmark, args.metric)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0 if rows else 1
    if not rows:
        print(f"kg leaderboard: no reported scores on {args.benchmark!r}", file=sys.stderr)
        return 1
    print(f"{'rank':>4}  {'value':>8} {'unit':<4} {'metric':<12} {'method':<28} {'paper':<11} date")
    for r in rows:
        flag = "  (papers disagree)" if r["disagrees"] else ""
        print(f"{r['rank'] or '-':>4}  {r['value']:>8g} {r['unit'] or '':<4} {(r['metric'] or '')[:12]:<12} "
              f"{r['method'][:28]:<28} {r['paper'] or '':<11} {r['date'] or ''}{flag}")
    return 0


def _viz(args) -> int:
    from . import views
    from .graph import KnowledgeGraph
    kg = KnowledgeGraph.from_jsonl(args.graph)
    types = [t.strip() for t in args.type.split(",")] if args.type else None
    try:
        if args.focus:
            uids, note = views.focus(kg, args.focus, args.depth)
        elif args.community is not None:
            uids, note = views.community(kg, args.community)
        elif types or args.top:
            uids, note = views.by_type(kg, types) if types else (set(kg.g.nodes), "")
            if args.top:  # the N highest-degree nodes of those types
                uids, note = views.top_n(kg, args.top, within=uids)
        else:
            uids, note = set(kg.g.nodes), ""
    except KeyError as err:
        print(f"kg viz: {err.args[0]}", file=sys.stderr)
        return 1
    page = args.page if args.page != "auto" else ("webgl" if len(uids) > views.MAX_FULL_VIEW else "pyvis")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    if page == "webgl":
        from .export.webgl import write_webgl
        write_webgl(kg, args.out, uids, note)
        why = f"the WebGL whole-graph page (over {views.MAX_FULL_VIEW} nodes)" if args.page == "auto" else "the WebGL page"
    else:
        from .export.html import write_html
        if len(uids) > views.MAX_FULL_VIEW:
            uids, note = views.top_n(kg, views.MAX_FULL_VIEW, within=uids)
        write_html(kg, args.out, uids, note)
        why = "the pyvis page" + (f" ({views.MAX_FULL_VIEW} nodes or fewer)" if args.page == "auto" else "")
    print(f"{len(uids)} nodes → {args.out}: {why}" + (f" ({note})" if note else ""))
    return 0


def _graph_for(inputs: list[str]):
    """A build folder's graph.jsonl, or a fresh build of review files/folders."""
    from .build import build
    from .graph import KnowledgeGraph
    if len(inputs) == 1 and os.path.exists(os.path.join(inputs[0], "graph.jsonl")):
        return KnowledgeGraph.from_jsonl(inputs[0])
    return build(inputs)


def _load_neo4j(args) -> int:
    from .build import InputError
    from .loaders.bolt import LoadError, load_bolt
    uri = args.uri or os.environ.get("NEO4J_URI") or "bolt://127.0.0.1:7687"
    user = args.user or os.environ.get("NEO4J_USERNAME")
    password = args.password or os.environ.get("NEO4J_PASSWORD")
    try:
        kg = _graph_for(args.inputs)
        st = load_bolt(kg, uri, user, password, args.database or os.environ.get("NEO4J_DATABASE"),
                       batch_size=args.batch_size, max_batch_bytes=args.max_batch_bytes)
    except (LoadError, InputError) as err:
        print(f"kg load neo4j: {err}", file=sys.stderr)
        return 1
    for n in st.notes:
        print(f"note: {n}", file=sys.stderr)
    for f in st.failed[:20]:
        print(f"refused by the server: {f}", file=sys.stderr)
    if len(st.failed) > 20:
        print(f"… {len(st.failed) - 20} more rows refused", file=sys.stderr)
    print(f"loaded {st.nodes} nodes and {st.relationships} relationships into {uri} in {st.batches} batches "
          f"({st.seconds:.2f}s, schema: {st.schema})" + (f"; {len(st.failed)} rows refused" if st.failed else ""))
    return 1 if st.failed else 0


def _query_cypher(args) -> int:
    from .query import QueryError, format_rows
    from .query.cypher import cypher, cypher_bolt
    try:
        q = _read_query(args)
        if args.uri:
            cols, rows = cypher_bolt(args.uri, q, args.user or os.environ.get("NEO4J_USERNAME"),
                                     args.password or os.environ.get("NEO4J_PASSWORD"), args.database)
        else:
            cols, rows = cypher(args.graph, q)
    except (QueryError, OSError) as err:
        print(f"kg query cypher: {err}", file=sys.stderr)
        return 1
    print(format_rows(cols, rows, args.format))
    return 0


def _query_args(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Options every query language shares."""
    p.add_argument("query", nargs="?", help="the query text (or --file)")
    p.add_argument("--file", help="read the query from a file")
    p.add_argument("--graph", default="out", help="a kg build output folder (default: out)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    return p


def _sparql_limits(p: argparse.ArgumentParser, timeout: float, max_rows: int) -> argparse.ArgumentParser:
    """The limits of :class:`kg.query.guard.Limits` as options, with this command's defaults."""
    from .query.guard import Limits
    d = Limits()
    p.add_argument("--timeout", type=float, default=timeout, help=f"seconds a query may run (default {timeout:g})")
    p.add_argument("--max-rows", type=int, default=max_rows, help=f"rows returned at most (default {max_rows})")
    p.add_argument("--max-query-bytes", type=int, default=d.max_bytes, help=f"default {d.max_bytes}")
    p.add_argument("--max-depth", type=int, default=d.max_depth, help=f"nesting levels (default {d.max_depth})")
    p.add_argument("--allow-service", action="store_true",
                   help="run SERVICE clauses (they make this machine send requests to the addresses they name)")
    return p


def _limits(args):
    from .query.guard import Limits
    return Limits(max_bytes=args.max_query_bytes, max_depth=args.max_depth, timeout=args.timeout,
                  max_rows=args.max_rows, allow_service=args.allow_service)


def _output_options(p: argparse.ArgumentParser, verbose, quiet) -> None:
    p.add_argument("-v", "--verbose", action="count", default=verbose, help="say more (-v: steps, -vv: debug) on stderr")
    p.add_argument("-q", "--quiet", action="store_true", default=quiet, help="no progress bars")


class _Commands:
    """Subcommands that all take the output options (``-q``/``-v``), nested ones too."""

    def __init__(self, subparsers, common: argparse.ArgumentParser):
        self._subparsers, self._common = subparsers, common

    def add_parser(self, name: str, **kw) -> argparse.ArgumentParser:
        return self._subparsers.add_parser(name, parents=[self._common], **kw)

    def nested(self, parser: argparse.ArgumentParser, **kw) -> "_Commands":
        """The subcommands of one of these commands (``kg query sparql``)."""
        return _Commands(parser.add_subparsers(**kw), self._common)


def make_parser() -> argparse.ArgumentParser:
    from . import __version__
    ap = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from AI paper reviews.")
    ap.add_argument("--version", action="version", version=f"kg {__version__}")
    _output_options(ap, 0, False)
    # -q/-v also after the command (``kg build in -q``), without resetting what was given before it
    common = argparse.ArgumentParser(add_help=False)
    _output_options(common, argparse.SUPPRESS, argparse.SUPPRESS)
    sub = _Commands(ap.add_subparsers(dest="command", required=True), common)
    b = sub.add_parser("build", help="build the graph of review files and folders")
    b.add_argument("inputs", nargs="+", help="review files and/or folders")
    b.add_argument("--out", default="out", help="output folder (default: out)")
    b.add_argument("--no-wait", action="store_true",
                   help="fail at once (exit 3) if another build is writing the same --out, instead of waiting")
    b.add_argument("--max-file-size", type=int, metavar="BYTES",
                   help="skip (with a warning) review files larger than this (default 50 MB)")
    b.add_argument("--min-confidence", type=float, default=0.0,
                   help="drop relationships with confidence below this (0-1)")
    b.add_argument("--rdf-format", choices=("turtle", "nt", "json-ld"), default="turtle")
    b.add_argument("--jobs", type=int, help="extraction worker processes (default: number of cores)")
    b.add_argument("--cache", help="per-file extraction cache (default: OUT/.kg-cache)")
    b.add_argument("--no-cache", action="store_true", help="extract every file again")
    b.add_argument("--watch", action="store_true",
                   help="stay running and update the outputs whenever an input changes (Ctrl-C stops)")
    b.add_argument("--poll", type=float, metavar="SECONDS",
                   help="with --watch: check the inputs this often instead of waiting for the file system's "
                        "notifications (network file systems)")
    b.set_defaults(func=_build)

    q = sub.add_parser("query", help="query a built graph (SPARQL, Cypher)")
    qsub = sub.nested(q, dest="language", required=True)
    qs = _sparql_limits(_query_args(qsub.add_parser("sparql", help="SPARQL over OUT's RDF with embedded Oxigraph")),
                        timeout=300.0, max_rows=1_000_000)
    qs.set_defaults(func=_query_sparql)

    qc = _query_args(qsub.add_parser("cypher", help="Cypher on OUT's embedded database, or a server with --uri"))
    qc.add_argument("--uri", help="bolt://… to query a server instead")
    qc.add_argument("--user")
    qc.add_argument("--password")
    qc.add_argument("--database")
    qc.set_defaults(func=_query_cypher)

    ld = sub.add_parser("load", help="load a graph into a database")
    lsub = sub.nested(ld, dest="target", required=True)
    ln = lsub.add_parser("neo4j", help="batched UNWIND/MERGE over Bolt (idempotent)")
    ln.add_argument("inputs", nargs="+", help="a kg build output folder, or review files/folders")
    ln.add_argument("--uri", help="default $NEO4J_URI or bolt://127.0.0.1:7687")
    ln.add_argument("--user", help="default $NEO4J_USERNAME")
    ln.add_argument("--password", help="default $NEO4J_PASSWORD")
    ln.add_argument("--database", help="default $NEO4J_DATABASE or the server's default")
    ln.add_argument("--batch-size", type=int, default=50, help="rows per UNWIND (default 50)")
    ln.add_argument("--max-batch-bytes", type=int,
                    help="cap a batch's size (default: none on Neo4j, 3000 on servers refusing Neo4j DDL)")
    ln.set_defaults(func=_load_neo4j)

    s = sub.add_parser("serve", help="serve a built graph")
    ssub = sub.nested(s, dest="language", required=True)
    ss = ssub.add_parser("sparql", help="read-only SPARQL endpoint on 127.0.0.1")
    ss.add_argument("--graph", default="out")
    ss.add_argument("--port", type=int, default=7878)
    ss.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                    help="also answer requests whose Host/Origin is NAME (default: 127.0.0.1 and localhost only)")
    _sparql_limits(ss, timeout=30.0, max_rows=100_000)
    ss.set_defaults(func=_serve_sparql)

    st = sub.add_parser("stats", help="analysis tables (centrality, communities, lineage, timeline)")
    st.add_argument("graph", nargs="?", default="out", help="a kg build output folder")
    st.add_argument("--top", type=int, default=10)
    st.add_argument("--json", action="store_true")
    st.add_argument("--plots", help="also write PNG plots into this folder")
    st.set_defaults(func=_stats)

    lb = sub.add_parser("leaderboard", help="the scores reported on a benchmark, best first")
    lb.add_argument("benchmark", help="a benchmark's or dataset's name or alias")
    lb.add_argument("--metric", help="only scores of this metric (and rank by its direction)")
    lb.add_argument("--graph", default="out", help="a kg build output folder, or review files/folders (default: out)")
    lb.add_argument("--json", action="store_true")
    lb.set_defaults(func=_leaderboard)

    vz = sub.add_parser("viz", help="write an HTML view of part of the graph")
    vz.add_argument("graph", nargs="?", default="out")
    vz.add_argument("--focus", help="centre on this name / alias / arXiv id")
    vz.add_argument("--depth", type=int, default=1)
    vz.add_argument("--type", help="comma-separated types, e.g. Method,Benchmark")
    vz.add_argument("--community", type=int, help="community number (see kg stats)")
    vz.add_argument("--top", type=int, help="the N highest-degree nodes")
    vz.add_argument("--out", default="view.html")
    vz.add_argument("--page", choices=("auto", "webgl", "pyvis"), default="auto",
                    help="auto (default): the pyvis page up to 1500 nodes, else the WebGL page of every node")
    vz.set_defaults(func=_viz)

    v = sub.add_parser("validate", help="SHACL-validate a build's RDF against schemas/shapes.ttl")
    v.add_argument("graph", nargs="?", default="out")
    v.set_defaults(func=_validate)
    return ap


def main(argv: list[str] | None = None) -> int:
    import signal
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `kg … | head` ends quietly
    args = make_parser().parse_args(argv)
    import logging
    logging.basicConfig(level={0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG),
                        format="kg: %(message)s", stream=sys.stderr)
    from .progress import enable
    enable(not args.quiet)
    return args.func(args)


def run() -> None:
    """The ``kg`` command: :func:`main`, then exit without tearing the
    interpreter down. An update of a large build leaves hundreds of MB of
    objects (element keys, state rows) that Python would
    free one by one at exit, ~0.4 s for nothing. Every file kg writes is
    closed before :func:`main` returns; only the standard streams need a flush."""
    rc = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`kg … | head`)
            pass
    os._exit(rc)


if __name__ == "__main__":
    run()
