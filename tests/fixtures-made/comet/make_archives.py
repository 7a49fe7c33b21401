"""Writes Comet offline experiment archives the way comet_ml's OfflineExperiment does (see PROVENANCE.md).

comet_ml cannot be installed here, so this follows its source (comet_ml 3.3x: offline.py,
offline_utils.py, comet.py's OfflineStreamer, messages.py):
  * messages.json: one compact JSON object per line, keys sorted,
    {"payload": message.non_null_dict(), "type": message.type}
    (compact_json_dump = json.dump(sort_keys=True, separators=(",", ":")));
  * metric_msg payload {"local_timestamp": ms, "metric": {"metricName", "metricValue", "step", "epoch"}},
    NaN/inf turned into the strings "NaN"/"Infinity" by fix_special_floats;
  * parameter_msg payload {"local_timestamp": ms, "param": {"paramName", "paramValue", "step", "source"}};
  * everything else offline (use_http_messages=False) as a ws_msg carrying one of log_other {"key", "val"},
    env_details {...}, git_meta {...}, installed_packages [...], stdout/stderr;
    newer SDKs write the typed messages instead (log_other {"key", "value"}, system_details, git_metadata);
  * experiment.json from write_experiment_meta_file; the zip from create_experiment_archive:
    ZipFile(path, "w", allowZip64=True) (ZIP_STORED) holding every file of the temp dir, named
    "<experiment key>.zip" where the key is uuid4().hex.

Run: python3 make_archives.py  (standard library only; output is deterministic)
"""
import json
import math
import os
import random
import uuid
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(11)


def key():
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def fix_special_floats(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if v == math.inf:
            return "Infinity"
        if v == -math.inf:
            return "-Infinity"
    return v


def non_null(d):
    return {k: v for k, v in d.items() if v is not None}


class Writer:
    def __init__(self, start_ms, http_messages):
        self.t = start_ms
        self.http = http_messages
        self.lines = []

    def _write(self, type_, payload):
        self.lines.append(json.dumps({"payload": payload, "type": type_}, sort_keys=True, separators=(",", ":")))

    def tick(self, ms=137):
        self.t += ms
        return self.t

    def ws(self, **fields):
        self._write("ws_msg", non_null({"local_timestamp": self.tick(), **fields}))

    def log_other(self, k, v):
        if self.http:
            self._write("log_other", {"key": k, "value": v})
        else:
            self.ws(log_other={"key": k, "val": v})

    def system_details(self, details):
        if self.http:
            self._write("system_details", details)
        else:
            self.ws(env_details=details)

    def git(self, meta):
        if self.http:
            self._write("git_metadata", {"git_metadata": meta})
        else:
            self.ws(git_meta=meta)

    def param(self, name, value, source="manual"):
        self._write("parameter_msg", {"local_timestamp": self.tick(3),
                                      "param": {"paramName": name, "paramValue": fix_special_floats(value),
                                                "step": None, "source": source}})

    def metric(self, name, value, step, epoch):
        self._write("metric_msg", {"local_timestamp": self.tick(),
                                   "metric": {"metricName": name, "metricValue": fix_special_floats(value),
                                              "step": step, "epoch": epoch}})


def archive(folder, name, writer, meta, extra=None):
    out = os.path.join(HERE, folder)
    os.makedirs(out, exist_ok=True)
    files = {"messages.json": ("\n".join(writer.lines) + "\n").encode(), "experiment.json": json.dumps(meta).encode()}
    files.update(extra or {})
    with zipfile.ZipFile(os.path.join(out, name), "w", allowZip64=True) as z:
        for fname in sorted(files):
            info = zipfile.ZipInfo(fname, date_time=(2026, 1, 20, 10, 0, 0))
            z.writestr(info, files[fname])  # ZIP_STORED, as comet_ml's ZipFile(..., "w")


def train(w, lr, epochs, steps_per_epoch, diverge_at=None):
    """A tiny SGD fit of y = 3x + 1 on fixed points, logging as Comet's log_metric(step=, epoch=)."""
    xs = [i / 10 for i in range(-10, 11)]
    a = b = 0.0
    step = 0
    for epoch in range(epochs):
        for s in range(steps_per_epoch):
            grad_a = sum(2 * (a * x + b - (3 * x + 1)) * x for x in xs) / len(xs)
            grad_b = sum(2 * (a * x + b - (3 * x + 1)) for x in xs) / len(xs)
            a -= lr * grad_a
            b -= lr * grad_b
            loss = sum((a * x + b - (3 * x + 1)) ** 2 for x in xs) / len(xs)
            step += 1
            if diverge_at is not None and step >= diverge_at:
                loss = float("nan")
            w.metric("train_loss", loss, step, epoch)
        w.metric("epoch_a", a, step, epoch)


# 1. The SDK's default folder, websocket-era messages, a name set with set_name().
k1 = key()
start = 1768903200000  # 2026-01-20T10:00:00Z
w = Writer(start, http_messages=False)
w.log_other("offline_experiment", True)
w.system_details({"command": ["train.py", "--lr", "0.1"], "env": None, "hostname": "gpu-box-3", "ip": "10.0.0.7",
                  "machine": "x86_64", "os": "Linux-6.1.0-x86_64-with-glibc2.36", "os_release": "6.1.0",
                  "os_type": "Linux", "pid": 4242, "processor": "", "python_exe": "/usr/bin/python3",
                  "python_version": "3.11.7", "python_version_verbose": "3.11.7 (main)", "user": "ana"})
w.git({"user": "Ana", "root": "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c", "branch": "refs/heads/main",
       "parent": "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d", "status": None,
       "origin": "git@example.org:ana/line-fit.git", "repo_name": "line-fit"})
w.ws(installed_packages=["numpy==2.4.6", "comet_ml==3.33.0"])
w.log_other("Name", "line-fit lr=0.1")
w.param("lr", 0.1)
w.param("epochs", 3)
w.param("optimizer", "sgd")
w.ws(stdout="epoch 0 done\n", stderr=False)
train(w, 0.1, epochs=3, steps_per_epoch=4)
w.log_other("dataset", "synthetic-21")
archive(".cometml-runs", f"{k1}.zip", w, {
    "offline_id": k1, "project_name": "line-fit", "start_time": start, "stop_time": w.tick(500),
    "tags": ["baseline", "cpu"], "workspace": "ana", "resume_strategy": "create",
    "customer_error_reported": False, "customer_error_message": None,
}, extra={"tmp8h2k1x9q.py": b"print('the script, as log_code uploads it')\n"})

# 2. A custom offline_directory, typed (HTTP-style) messages of newer SDKs, no name, a NaN loss.
k2 = key()
start = 1768906800000  # 2026-01-20T11:00:00Z
w = Writer(start, http_messages=True)
w.log_other("offline_experiment", True)
w.system_details({"command": ["train.py", "--lr", "2.5"], "env": None, "hostname": "laptop", "ip": "127.0.0.1",
                  "machine": "arm64", "os": "macOS-15.2-arm64", "os_release": "24.2.0", "os_type": "Darwin",
                  "pid": 99, "processor": "arm", "python_exe": "/opt/py/bin/python", "python_version": "3.12.1",
                  "python_version_verbose": "3.12.1", "user": "ben"})
w.param("lr", 2.5)
w.param("epochs", 2)
train(w, 2.5, epochs=2, steps_per_epoch=3, diverge_at=5)
archive("offline", f"{k2}.zip", w, {
    "offline_id": k2, "project_name": "line-fit", "start_time": start, "stop_time": w.tick(500),
    "tags": [], "workspace": "ben", "resume_strategy": "create",
    "customer_error_reported": False, "customer_error_message": None,
})
print(k1, k2)
