#!/usr/bin/python3
"""
Captures the metric contract of the real Stock Tracker service into a fixture: the names, types,
label names and histogram buckets its `PrometheusMetrics` class (src/stock_tracker/monitoring.py)
registers, read by running that module, not by reading its text. No help text is kept.

    /usr/bin/python3 tools/capture/stock-tracker-metrics.py <Stock-Tracker checkout> > \
        __tests__/fixtures/stock-tracker/app-metrics.json

Needs Debian's python3-prometheus-client, python3-fastapi, python3-psutil and python3-colorlog
(/usr/bin/python3, not a virtualenv). The checkout is `ameba7464/Stock-Tracker-` at any commit.

The module is loaded from its file, under a name of its own: `import stock_tracker.monitoring`
resolves to the package of the same name (a package wins over a module), which is what the API
really imports. The capture also records what that package registers in the default registry
(what the API's /metrics serves), to keep that fact checkable.
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import prometheus_client
from prometheus_client import REGISTRY


def families() -> dict:
    """Metric families in the default registry, by name: {name: (type, [series names])}."""
    return {f.name: (f.type, sorted({s.name for s in f.samples})) for f in REGISTRY.collect()}


def describe(metric) -> dict:
    """Name, type, label names and buckets of one prometheus_client metric, as it is exposed."""
    kind = metric._type
    labels = list(metric._labelnames)
    child = metric.labels(*["x"] * len(labels)) if labels else metric
    if kind == "histogram":
        child.observe(0)
    [family] = metric.collect()
    entry = {
        "family": family.name,
        "type": "gauge" if kind == "info" else kind,
        "series": sorted({s.name for s in family.samples if not s.name.endswith("_created")}),
        "labels": labels,
    }
    if kind == "histogram":
        entry["buckets"] = [b for b in metric._upper_bounds if b != float("inf")]
    if kind == "info":
        entry["labels"] = sorted(family.samples[0].labels)
    return entry


def main(checkout: str) -> None:
    src = (Path(checkout) / "src").resolve()
    sys.path.insert(0, str(src))
    # The service's logger writes log files under the working directory: keep them out of ours.
    os.chdir(tempfile.mkdtemp(prefix="stock-tracker-capture-"))
    # The service logs to stdout on import; the fixture alone goes there.
    out, sys.stdout = sys.stdout, sys.stderr
    before = set(families())
    import stock_tracker.monitoring as package  # what the API imports

    package.get_metrics()
    served_by_package = sorted(set(families()) - before)

    spec = importlib.util.spec_from_file_location("stock_tracker_monitoring_module", src / "stock_tracker" / "monitoring.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    collector = module.PrometheusMetrics()
    metrics = [describe(value) for value in vars(collector).values() if isinstance(value, prometheus_client.metrics.MetricWrapperBase)]
    try:
        commit = subprocess.run(["git", "-C", str(src.parent), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    fixture = {
        "source": "ameba7464/Stock-Tracker- src/stock_tracker/monitoring.py, class PrometheusMetrics",
        "commit": commit or "unknown (not a git checkout)",
        "prometheusClient": prometheus_client.__version__ if hasattr(prometheus_client, "__version__") else "debian",
        "defaultRegistry": {
            "collectors": sorted(before),
            "importedModule": package.__file__.replace(str(src) + "/", ""),
            "familiesTheImportedModuleAdds": served_by_package,
        },
        "metrics": sorted(metrics, key=lambda m: m["family"]),
    }
    json.dump(fixture, out, indent=2)
    out.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: stock-tracker-metrics.py <Stock-Tracker checkout>")
    main(sys.argv[1])
