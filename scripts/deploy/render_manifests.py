#!/usr/bin/env python3
"""Renders the Helm chart into deploy/kubernetes/ for users without Helm.

  render_manifests.py           # write the files
  render_manifests.py --check   # fail if the committed files differ from a fresh render (CI)

Rendered offline with Helm's own Go code (PyPI helm-python-sdk), release "unity" in namespace "unity".
"""
import argparse
import os
import sys

import helm_python as helm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHART = os.path.join(ROOT, "deploy", "helm", "unity")
OUT = os.path.join(ROOT, "deploy", "kubernetes")

VARIANTS = {
    # One replica, SQLite on a PersistentVolumeClaim.
    "unity-sqlite.yaml": {},
    # Two replicas on PostgreSQL; create the two Secrets first (see README).
    "unity-postgres.yaml": {"replicaCount": 2, "database": {"type": "postgres", "postgres": {"existingSecret": "unity-database"}},
                            "masterKey": {"existingSecret": "unity-master-key"}},
}


def render(values):
    manifests = helm.Chart.load(CHART).render(values, name="unity", namespace="unity", is_install=True)
    header = "# Rendered from deploy/helm/unity by scripts/deploy/render_manifests.py; do not edit by hand.\n"
    documents = [(path, manifests[path].strip()) for path in sorted(manifests) if path.endswith(".yaml") and manifests[path].strip()]
    return header + "".join(f"---\n# Source: {path}\n{text}\n" for path, text in documents)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    report = helm.lint(CHART, strict=True)
    if report.get("errors"):
        sys.exit(f"helm lint: {report['errors']}")
    drift = []
    for name, values in VARIANTS.items():
        text = render(values)
        path = os.path.join(OUT, name)
        if args.check:
            current = open(path).read() if os.path.exists(path) else ""
            if current != text:
                drift.append(name)
        else:
            os.makedirs(OUT, exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
    if drift:
        sys.exit(f"deploy/kubernetes/{', '.join(drift)} differ from a fresh render: run scripts/deploy/render_manifests.py")
    print("helm lint clean; deploy/kubernetes/ " + ("matches a fresh render" if args.check else "written"))


if __name__ == "__main__":
    main()
