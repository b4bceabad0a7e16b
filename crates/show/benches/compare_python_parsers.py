#!/usr/bin/env python3
"""Single-core parse throughput of TextFSM (ntc-templates) and Cisco Genie
(genieparser) on the same `show crypto ...` / `show vpn-sessiondb ...` outputs
that `benches/parse.rs` uses (tests/data/ntc/tests/<platform>/<command>/*.raw),
so BENCHMARKS.md can set them beside ipsec-doctor's figures.

Each .raw file is parsed on its own, with its platform (directory name) and
command (directory name with `_` -> space), since both tools need them.
Templates and parser classes are loaded once beforehand (that one-time cost is
reported apart); the timed loop only parses. Throughput = raw bytes parsed /
seconds, best of --runs runs, each run repeating the set for >= --seconds.
The process is pinned to one CPU.

    python3 -m venv /tmp/cmp/venv
    /tmp/cmp/venv/bin/pip install textfsm ntc-templates genie 'pyats[library]'
    /tmp/cmp/venv/bin/python crates/show/benches/compare_python_parsers.py

On a busy machine, --clock cpu counts only this process's CPU time.
Genie is optional: without it only TextFSM is measured.
"""

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE.parent / "tests" / "data" / "ntc" / "tests"

# ntc-templates platform -> Genie OS names to try, in order.
GENIE_OS = {"cisco_ios": ["iosxe", "ios"], "cisco_xe": ["iosxe", "ios"], "cisco_asa": ["asa"]}


def corpus(root):
    """[(platform, command, path, text)] sorted like the Rust bench."""
    out = []
    for raw in sorted(root.glob("*/*/*.raw")):
        platform = raw.parent.parent.name
        command = raw.parent.name.replace("_", " ")
        out.append((platform, command, raw, raw.read_text()))
    return out


CLOCK = time.perf_counter


def measure(items, fn, seconds, runs):
    """Best bytes/s over `runs` runs; each run loops over `items` for >= seconds."""
    nbytes = sum(len(t.encode()) for _, t in items)
    best = 0.0
    for _ in range(runs):
        done = 0
        start = CLOCK()
        while True:
            for arg, text in items:
                fn(arg, text)
            done += nbytes
            elapsed = CLOCK() - start
            if elapsed >= seconds:
                break
        best = max(best, done / elapsed)
    return best


def report(name, items_by_cmd, fn, seconds, runs):
    mixed = [x for v in items_by_cmd.values() for x in v]
    if not mixed:
        print(f"{name}: nothing to parse")
        return
    print(f"{name} mixed ({len(mixed)} outputs)".ljust(58),
          f"{measure(mixed, fn, seconds, runs) / 1e6:9.3f} MB/s", flush=True)
    for cmd, items in sorted(items_by_cmd.items()):
        print(f"  {name} {cmd} ({len(items)})".ljust(58),
              f"{measure(items, fn, seconds, runs) / 1e6:9.3f} MB/s", flush=True)


def textfsm_setup(files):
    import textfsm
    from textfsm import clitable
    from ntc_templates.parse import _get_template_dir, parse_output

    tdir = _get_template_dir()
    index = clitable.CliTable("index", tdir).index
    fsms, by_cmd, skipped = {}, {}, []
    for platform, command, path, text in files:
        row = index.GetRowMatch({"Platform": platform, "Command": command})
        if not row:
            skipped.append((path.name, "no template in ntc-templates index"))
            continue
        template = index.index[row]["Template"].split(":")[0]
        try:
            parse_output(platform=platform, command=command, data=text)  # sanity check
        except Exception as e:  # noqa: BLE001
            skipped.append((path.name, f"{type(e).__name__}: {e}"))
            continue
        if template not in fsms:
            with open(os.path.join(tdir, template)) as fh:
                fsms[template] = textfsm.TextFSM(fh)
        by_cmd.setdefault(f"{platform} {command}", []).append((fsms[template], text))
    return by_cmd, skipped


def textfsm_parse(fsm, text):
    fsm.Reset()
    return fsm.ParseText(text)


def genie_setup(files):
    from genie.conf.base import Device
    from genie.libs.parser.utils import get_parser

    by_cmd, api_items, skipped = {}, [], []
    for platform, command, path, text in files:
        found = None
        for os_name in GENIE_OS.get(platform, []):
            dev = Device("R1", os=os_name)
            dev.custom.setdefault("abstraction", {})["order"] = ["os"]
            try:
                cls, kwargs = get_parser(command, dev)
            except Exception:  # noqa: BLE001  (ParserNotFound)
                continue
            found = (os_name, dev, cls, kwargs)
            break
        if not found:
            skipped.append((path.name, f"no Genie parser for '{command}' on {GENIE_OS.get(platform)}"))
            continue
        os_name, dev, cls, kwargs = found
        try:
            res = cls(device=dev).parse(output=text, **kwargs)
            if not res:
                raise ValueError("empty result")
        except Exception as e:  # noqa: BLE001
            skipped.append((path.name, f"{os_name} {cls.__name__}{kwargs or ''}: {type(e).__name__}: {str(e)[:80]}"))
            continue
        by_cmd.setdefault(f"{platform} {command}", []).append(((dev, cls, kwargs), text))
        api_items.append(((dev, command), text))
    return by_cmd, api_items, skipped


def genie_parse(parser, text):
    dev, cls, kwargs = parser
    return cls(device=dev).parse(output=text, **kwargs)


def genie_api_parse(arg, text):
    dev, command = arg
    return dev.parse(command, output=text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cpu", type=int, default=0, help="CPU to pin to (-1: no pinning)")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="wall: perf_counter; cpu: process CPU time (use on a busy machine)")
    args = ap.parse_args()
    global CLOCK
    CLOCK = time.perf_counter if args.clock == "wall" else time.process_time
    if args.cpu >= 0 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    files = corpus(args.root)
    total = sum(len(f[3].encode()) for f in files)
    print(f"python {sys.version.split()[0]}; {len(files)} outputs, {total} bytes; "
          f"best of {args.runs} runs of >= {args.seconds} s "
          f"({args.clock} clock); pinned to CPU {args.cpu}; load average {os.getloadavg()[0]:.2f}")

    t = time.perf_counter()
    by_cmd, skipped = textfsm_setup(files)
    print(f"TextFSM setup (import + index + template compile + one check parse each): "
          f"{time.perf_counter() - t:.3f} s; {len(skipped)} outputs not parsed")
    for name, why in skipped:
        print(f"  skip {name}: {why}")
    report("TextFSM", by_cmd, textfsm_parse, args.seconds, args.runs)
    # The ntc-templates one-call API re-reads the index and recompiles the
    # template on every call: what a script calling parse_output() gets.
    from ntc_templates.parse import parse_output
    api = [((p, c), t) for p, c, _, t in files if f"{p} {c}" in by_cmd]
    mbps = measure(api, lambda pc, d: parse_output(platform=pc[0], command=pc[1], data=d),
                   args.seconds, args.runs) / 1e6
    print("TextFSM via ntc_templates.parse_output, mixed".ljust(58), f"{mbps:9.3f} MB/s", flush=True)

    try:
        t = time.perf_counter()
        import genie.libs.parser  # noqa: F401
    except Exception as e:  # noqa: BLE001
        print(f"Genie not available: {type(e).__name__}: {e}")
        return
    by_cmd, api, skipped = genie_setup(files)
    print(f"Genie setup (import + parser lookup + one check parse each): "
          f"{time.perf_counter() - t:.3f} s; {len(skipped)} outputs not parsed")
    for name, why in skipped:
        print(f"  skip {name}: {why}")
    report("Genie", by_cmd, genie_parse, args.seconds, args.runs)
    if api:
        mbps = measure(api, genie_api_parse, args.seconds, args.runs) / 1e6
        print("Genie via Device.parse(cmd, output=...), mixed".ljust(58), f"{mbps:9.3f} MB/s")


if __name__ == "__main__":
    main()
