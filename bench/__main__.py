"""``python -m bench [--scale small|full] [--only catalogue,load,pdf,circulation,staff,…]``

Parts: catalogue, pdf, load, circulation, staff, oai, export. SCALE and BENCH_OUT may also
come from the environment (the Makefile passes them)."""

import argparse
import os
import platform
import time

import bench

PARTS = ("catalogue", "pdf", "load", "circulation", "staff", "oai", "export")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(bench.SCALES), default=None)
    parser.add_argument("--out", default=os.environ.get("BENCH_OUT") or "bench-results.json")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts")
    args = parser.parse_args()
    scale = bench.SCALES[args.scale or os.environ.get("SCALE") or "full"]
    parts = [p for p in args.only.split(",") if p]

    bench.configure()
    from bench import catalogue, circulation, data, export, load, oai, pdf, report, staff

    started = time.perf_counter()
    print(f"benchmarks at {scale.name} scale")
    results: dict = {"scale": scale.name}
    results["dataset"] = data.dataset_ensure(scale=scale)
    runs = {
        "catalogue": catalogue.catalogue_run,
        "pdf": pdf.pdf_run,
        "load": load.load_run,
        "circulation": circulation.circulation_run,
        "staff": staff.staff_run,
        "oai": oai.oai_run,
        "export": export.export_run,
    }
    timings = {}
    for part in PARTS:
        if part in parts:
            print(f"{part}:")
            part_started = time.perf_counter()
            results.update(runs[part](scale=scale))
            timings[part] = round(time.perf_counter() - part_started, 1)
    results["timings_s"] = {**timings, "total": round(time.perf_counter() - started, 1)}
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print()
    print(report.table(results))
    out = report.write(results, args.out)
    print(f"\n{out} written; took {results['timings_s']['total']:.0f} s")


if __name__ == "__main__":
    main()
