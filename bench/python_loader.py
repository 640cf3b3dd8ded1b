#!/usr/bin/env python3
"""A straightforward Python loader: the benchmark's comparison peer for `cisignal ingest`.

It walks the same Prow tree (run folders and BUILD.tar.gz archives), reads gzip or plain JUnit
with xml.etree.ElementTree.iterparse, folds each test's attempts per run the same way
(pass/fail/flake/skip), and writes an equivalent schema with sqlite3 executemany, one transaction
per run. No tricks: this is what a competent first version in Python looks like.

Usage: python_loader.py ROOT DATABASE
"""
import gzip, io, json, os, sqlite3, sys, tarfile
import xml.etree.ElementTree as ET

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS tests (id INTEGER PRIMARY KEY, name TEXT, classname TEXT, UNIQUE (name, classname));
CREATE TABLE IF NOT EXISTS job_runs (id INTEGER PRIMARY KEY, job_id INTEGER, build_id TEXT, started_at INTEGER,
    finished_at INTEGER, result TEXT, payload TEXT, source_path TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS test_results (run_id INTEGER, test_id INTEGER, passes INTEGER, failures INTEGER,
    skips INTEGER, outcome TEXT, duration_seconds REAL, message TEXT, PRIMARY KEY (run_id, test_id)) WITHOUT ROWID;
"""
METADATA = ("started.json", "finished.json", "prowjob.json")

def decoded(data):
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data

def is_junit(path):
    lower = path.lower()
    return "artifacts/" in path and (lower.endswith(".xml") or lower.endswith(".xml.gz"))

def fold(stream, tests):
    """Folds one JUnit document into tests {(name, classname): [passes, failures, skips, time, message]}."""
    staged = {}
    for _, element in ET.iterparse(stream, events=("end",)):
        if element.tag != "testcase":
            continue
        kinds = [child.tag for child in element]
        failures = sum(k in ("failure", "error", "rerunFailure", "rerunError", "flakyFailure", "flakyError") for k in kinds)
        failed = "failure" in kinds or "error" in kinds
        skipped = not failed and ("skipped" in kinds or element.get("status") in ("skipped", "disabled"))
        passes = 0 if failed or skipped else 1
        message = None
        for child in element:
            if child.tag in ("failure", "error"):
                message = ((child.get("message") or "") + "\n\n" + (child.text or "")).strip()[:4096]
                break
        key = (element.get("name", ""), element.get("classname", ""))
        row = staged.setdefault(key, [0, 0, 0, 0.0, None])
        row[0] += passes; row[1] += failures; row[2] += 1 if skipped else 0
        try: row[3] += float(element.get("time", 0))
        except ValueError: pass
        row[4] = row[4] or message
        element.clear()
    for key, row in staged.items():   # only a file read whole counts
        into = tests.setdefault(key, [0, 0, 0, 0.0, None])
        for i in range(4): into[i] += row[i]
        into[4] = into[4] or row[4]

def read_run(files):
    """files: iterable of (relative path, bytes loader). Returns metadata dict and folded tests."""
    meta, tests = {}, {}
    for rel, load in files:
        name = rel.rsplit("/", 1)[-1]
        if name.endswith(".gz"): name = name[:-3]
        if name in METADATA and "artifacts" not in rel.split("/"):
            try: meta[name] = json.loads(decoded(load()))
            except Exception: meta[name] = {}
        elif is_junit(rel):
            try: fold(io.BytesIO(decoded(load())), tests)
            except Exception as error: print(f"problem: {rel}: {error}", file=sys.stderr)
    return meta, tests

def runs(root):
    for folder, dirs, names in os.walk(root):
        if any(n in names or n + ".gz" in names for n in METADATA):
            dirs[:] = []
            files = []
            for sub, _, subnames in os.walk(folder):
                for n in subnames:
                    path = os.path.join(sub, n)
                    files.append((os.path.relpath(path, folder), lambda p=path: open(p, "rb").read()))
            yield folder, files
        else:
            for n in names:
                if n.endswith((".tar.gz", ".tgz")):
                    path = os.path.join(folder, n)
                    with tarfile.open(path) as archive:
                        members = [(m.name, lambda m=m: archive.extractfile(m).read()) for m in archive if m.isfile()]
                        yield path, [(name.split("/", 1)[-1], load) for name, load in members]

def main(root, database):
    db = sqlite3.connect(database)
    db.executescript(SCHEMA)
    jobs, test_ids, cases = {}, {}, 0
    for source, files in runs(root):
        meta, tests = read_run(files)
        if "finished.json" not in meta:
            continue
        started, finished, prowjob = meta.get("started.json", {}), meta["finished.json"], meta.get("prowjob.json", {})
        job = prowjob.get("spec", {}).get("job") or source.rstrip("/").split("/")[-2]
        build = os.path.basename(source).split(".")[0]
        tag = prowjob.get("metadata", {}).get("annotations", {}).get("release.openshift.io/tag")
        with db:
            if job not in jobs:
                jobs[job] = db.execute("INSERT OR IGNORE INTO jobs (name) VALUES (?)", (job,)).lastrowid or \
                    db.execute("SELECT id FROM jobs WHERE name = ?", (job,)).fetchone()[0]
            run_id = db.execute("INSERT INTO job_runs (job_id, build_id, started_at, finished_at, result, payload, source_path)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)", (jobs[job], build, started.get("timestamp"),
                                finished.get("timestamp"), finished.get("result"), tag, source)).lastrowid
            rows = []
            for key, (passes, failures, skips, seconds, message) in tests.items():
                if key not in test_ids:
                    test_ids[key] = db.execute("INSERT INTO tests (name, classname) VALUES (?, ?)", key).lastrowid
                outcome = "flake" if failures and passes else "fail" if failures else "pass" if passes else "skip"
                rows.append((run_id, test_ids[key], passes, failures, skips, outcome, seconds, message))
                cases += passes + failures + skips
            db.executemany("INSERT INTO test_results VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    print(json.dumps({"attempts": cases, "tests": len(test_ids)}))

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
