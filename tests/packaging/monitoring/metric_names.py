"""Compares the metric names used by the dashboard and the alert rules with the names scraped
from running tickwired processes (Prometheus text format, parsed with Debian's
python3-prometheus-client). Prints what is missing and exits 1 if anything is."""
import argparse
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def used_names(path):
    # Every tickwire_* token, in queries and in the text around them (descriptions name metrics
    # too, and must not send an operator looking for one that does not exist).
    with open(path, encoding="utf-8") as f:
        return set(re.findall(r"\btickwire_[a-z0-9_]*[a-z0-9]", f.read()))


def scraped_names(paths):
    samples, histograms = set(), set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for family in text_string_to_metric_families(f.read()):
                if family.type == "histogram":
                    histograms.add(family.name)
                for sample in family.samples:
                    samples.add(sample.name)
    return samples, histograms


def exported(name, samples, histograms):
    if name in samples or name in histograms:
        return True
    return any(name.endswith(s) and name[: -len(s)] in histograms for s in HISTOGRAM_SUFFIXES)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--used", nargs="+", required=True)
    parser.add_argument("--scraped", nargs="+", required=True)
    args = parser.parse_args()
    samples, histograms = scraped_names(args.scraped)
    if len(samples) < 20 or not histograms:
        sys.exit(f"the scrapes hold only {len(samples)} series names: not a tickwired /metrics")
    status = 0
    for path in args.used:
        names = used_names(path)
        if len(names) < 5:
            print(f"{path}: only {len(names)} tickwire_* names found; is this the right file?")
            status = 1
        missing = sorted(n for n in names if not exported(n, samples, histograms))
        for name in missing:
            print(f"{path}: {name} is not exported by tickwired")
        if missing:
            status = 1
        print(f"{path}: {len(names) - len(missing)} of {len(names)} metric names exported")
    print(f"scraped {len(samples)} series names ({len(histograms)} histograms) from "
          f"{len(args.scraped)} processes")
    sys.exit(status)


if __name__ == "__main__":
    main()
