"""``eprstats run --scheduler`` on a real Dask cluster of separate processes (issue #17): a scheduler and two
``dask worker --nworkers 1 --nthreads 1 --no-nanny`` processes started here, the small demo study run
through them, every feature file and table byte-identical to the local run; a worker killed with SIGKILL
mid-stage changes nothing; a scheduler nobody runs and a worker that cannot see the study folder are refused
with the reason (exit 2).

The workers run without a nanny, so that SIGKILL ends the worker itself (a nanny would restart it). The
local reference runs the stages the cluster takes over (rois, handcrafted, deep, icc; validate before them)
in this process; the statistics stages run on the client in both cases, from these bytes.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

distributed = pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTED = ("validate", "rois", "handcrafted", "deep", "icc")
STARTUP = 90  # seconds a scheduler or worker may take to start on a loaded machine


def _start(args, log: Path, cwd=ROOT, prefix=()) -> subprocess.Popen:
    """A dask process in its own process group (killed whole at teardown), its output in ``log``."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    with open(log, "wb") as fh:
        return subprocess.Popen([*prefix, sys.executable, "-m", "dask", *map(str, args)], cwd=cwd, env=env,
                                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)


class Cluster:
    def __init__(self, folder: Path):
        self.folder = folder
        self.procs: dict = {}
        sched = folder / "scheduler.json"
        self.procs["scheduler"] = _start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                          "--scheduler-file", sched], folder / "scheduler.log")
        deadline = time.monotonic() + STARTUP
        while not sched.is_file() and time.monotonic() < deadline:
            assert self.procs["scheduler"].poll() is None, (folder / "scheduler.log").read_text()
            time.sleep(0.2)
        self.address = json.loads(sched.read_text())["address"]
        for name in ("w1", "w2"):
            self.add_worker(name)
        self.wait_for(2)

    def add_worker(self, name: str, prefix=()) -> None:
        self.procs[name] = _start(["worker", self.address, "--nworkers", "1", "--nthreads", "1", "--no-nanny",
                                   "--no-dashboard", "--name", name, "--local-directory", self.folder / name],
                                  self.folder / f"{name}.log", prefix=prefix)

    def client(self):
        return distributed.Client(self.address, timeout=STARTUP, set_as_default=False)

    def wait_for(self, n: int) -> None:
        with self.client() as client:
            deadline = time.monotonic() + STARTUP
            while len(client.scheduler_info()["workers"]) != n:
                assert time.monotonic() < deadline, f"the cluster has not {n} workers: {self.logs()}"
                time.sleep(0.2)

    def pid_of(self, address: str) -> int:
        with self.client() as client:
            return client.run(os.getpid, workers=[address])[address]

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}" for p in self.folder.glob("*.log"))

    def close(self) -> None:
        for proc in self.procs.values():
            _kill(proc)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from eprstats.study.demo import make_demo_study
    return make_demo_study(tmp_path_factory.mktemp("cluster_study") / "study", small=True, patients=8)


def _run_stages(study, out, scheduler=None, stages=DISTRIBUTED, jobs=1):
    from eprstats.study.runner import run_study
    for stage in stages:
        status = run_study(study, out, only=stage, scheduler=scheduler, jobs=jobs, echo=lambda *a: None).status
        assert status == {stage: "computed"}, status


@pytest.fixture(scope="module")
def local(study, tmp_path_factory):
    out = tmp_path_factory.mktemp("cluster_local") / "results"
    _run_stages(study, out)
    return out


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = None
    try:
        c = Cluster(tmp_path_factory.mktemp("dask"))
        yield c
    finally:  # the processes are killed even when the start or a test failed
        if c is not None:
            c.close()


COMPARED = (".csv", ".parquet", ".json", ".md", ".tex")


def _compared(local: Path, other: Path, sub=("features", "tables")) -> list:
    """The files of the local run under ``sub`` (the caches included; not the provenance records, which hold
    clock times) that are missing or differ in ``other``."""
    files = [p for s in sub for p in (local / s).rglob("*")
             if p.is_file() and p.suffix in COMPARED and not p.name.endswith("provenance.json")]
    assert len(files) > 40

    def same(p):
        q = other / p.relative_to(local)
        return q.is_file() and q.read_bytes() == p.read_bytes()
    return [str(p.relative_to(local)) for p in files if not same(p)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_scheduler_nobody_runs_exits_2(study, tmp_path, run_cli):
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    code, _, stderr = run_cli("run", study, "--out", tmp_path / "out", "--scheduler", address)
    assert code == 2 and f"nobody answers at the Dask scheduler address '{address}'" in stderr, stderr
    assert "Traceback" not in stderr and time.monotonic() - started < 15
    assert not (tmp_path / "out").exists()  # refused before the output folder was touched


def test_the_study_files_scheduler_key_is_used_and_local_overrides_it(study, tmp_path, run_cli):
    """``scheduler:`` in the study file sends the run to that address (nobody there: exit 2, nothing written);
    ``--scheduler local`` runs on this machine whatever the file says."""
    import yaml
    copy = tmp_path / "study"
    shutil.copytree(Path(study).parent, copy)
    settings = yaml.safe_load((copy / "study.yaml").read_text())
    address = f"tcp://127.0.0.1:{_free_port()}"
    (copy / "study.yaml").write_text(yaml.safe_dump({**settings, "scheduler": address}, sort_keys=False))
    code, _, stderr = run_cli("run", copy / "study.yaml", "--out", tmp_path / "out", "--only", "validate")
    assert code == 2 and f"nobody answers at the Dask scheduler address '{address}'" in stderr, stderr
    assert not (tmp_path / "out").exists()
    code, _, stderr = run_cli("run", copy / "study.yaml", "--out", tmp_path / "out", "--only", "validate",
                              "--scheduler", "local")
    assert code == 0, stderr
    assert json.loads((tmp_path / "out" / "provenance.json").read_text())["cluster"] is None


def test_cluster_run_is_byte_identical_to_the_local_run(study, local, cluster, tmp_path, run_cli):
    """The whole study through the command line with --scheduler: every feature file (the caches too) and
    table the local run wrote, byte for byte; the statistics stages ran on the client."""
    out = tmp_path / "results"
    code, stdout, stderr = run_cli("run", study, "--out", out, "--scheduler", cluster.address)
    assert code in (0, 4), stderr  # 10 patients: some statistics fail for small-sample reasons (exit 4)
    assert "Dask cluster" in stdout and "2 worker(s)" in stdout
    for stage in DISTRIBUTED:
        assert json.loads((out / ".eprstats" / "stages" / f"{stage}.json").read_text())["status"] == "computed"
    assert _compared(local, out) == []
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["cluster"] == {"scheduler": cluster.address, "workers": 2, "threads": 2}
    assert (out / "tables" / "table2.csv").is_file()  # a statistics stage ran, on the client


def test_two_local_workers_write_the_one_workers_bytes(study, local, tmp_path):
    """Issue #8, determinism, the representative part run by default: the stages that run patients in parallel
    (rois, handcrafted, deep, icc), with 2 local worker processes instead of 1, write every feature file (the
    caches too) and table byte for byte. The whole small demo again with 1 worker instead of 2 (every stage,
    157 patients) is ``tests/study/test_study.py::test_same_seed_with_one_worker_is_byte_identical``, run with
    ``-m slow``."""
    out = tmp_path / "results"
    _run_stages(study, out, jobs=2)
    assert _compared(local, out) == []


def test_worker_that_cannot_see_the_study_is_named(study, cluster, tmp_path):
    """A third worker in its own mount namespace, an empty file system mounted over the study folder."""
    from eprstats.errors import InputError
    from eprstats.study.runner import run_study
    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare or "unshare", "-rm", "true"], capture_output=True) if unshare else None
    if probe is None or probe.returncode != 0:
        pytest.skip("unshare -rm (a mount namespace) is not available here")
    folder = Path(study).parent
    mount = f"mount -t tmpfs tmpfs '{folder}' && exec \"$0\" \"$@\""
    cluster.add_worker("blind", prefix=(unshare, "-rm", "sh", "-c", mount))
    try:
        cluster.wait_for(3)
        with pytest.raises(InputError) as info:
            run_study(study, tmp_path / "out", only="rois", scheduler=cluster.address, echo=lambda *a: None)
        text = str(info.value)
        assert "(name blind" in text and f"cannot see the study folder {folder}" in text and "shared" in text, text
        assert not (tmp_path / "out").exists()
    finally:
        _kill(cluster.procs.pop("blind"))
        cluster.wait_for(2)


def test_gpu_engine_on_the_cluster_agrees_with_the_cpu_features(study, local, cluster):
    """The cluster's GPU path (crops cut by the workers, the forward pass of several patients a task with
    batches filled across them, bf16 autocast), run on the CPU: the crop tables equal the CPU path's and the
    features agree with its float32 ones within bf16 precision."""
    import numpy as np
    import pandas as pd

    from eprstats.cohort.study import load_study
    from eprstats.deep.extract import FEATURES
    from eprstats.deep.run import extract_cohort_deep
    from eprstats.deep.model import RandomWeightsWarning, load_resnet34
    s = load_study(study)
    with pytest.warns(RandomWeightsWarning):
        model, _ = load_resnet34("random", device="cpu", seed=s.settings.seed)
    cases = pd.DataFrame([{"id": p, "image": s.image(p, "PVP"), "mask": s.mask(p, "PVP")} for p in s.patients])
    with cluster.client() as client, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the crops' padding and resizing: known
        slices, failures = extract_cohort_deep(cases, model, device="cpu", spacing=s.settings.spacing,
                                               size=s.settings.deep_crop_size, client=client, accelerated=True)
    cpu = pd.read_parquet(local / "features" / "deep_slices.parquet")
    assert failures.empty and len(slices) == len(cpu) > 2 * len(s.patients)
    rest = [c for c in cpu.columns if c not in FEATURES]
    pd.testing.assert_frame_equal(slices[rest], cpu[rest])
    got, ref = slices[FEATURES].to_numpy(), cpu[FEATURES].to_numpy()
    assert not np.array_equal(got, ref)  # bf16 arithmetic indeed
    assert np.abs(got - ref).max() <= 0.03 * np.abs(ref).max()  # measured: about 0.011


def test_gpu_forward_fills_batches_across_patients(study):
    """deep_forward (the GPU workers' task) on three patients' crops cut by deep_crops, with a batch larger
    than any one patient's slices: the batches are full (each holds slices of several patients) until the
    last, and each patient's features agree with a forward pass of that patient alone (bf16 rounding)."""
    import numpy as np

    from eprstats.cohort.study import load_study
    from eprstats.deep.model import RandomWeightsWarning, load_resnet34
    from eprstats.deep.cluster import deep_crops, deep_forward
    s = load_study(study)
    with pytest.warns(RandomWeightsWarning):
        model, _ = load_resnet34("random", device="cpu", seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the crops' padding and resizing: known
        items = [deep_crops((p, s.image(p, "PVP"), s.mask(p, "PVP")), s.settings.spacing, 32)
                 for p in s.patients[:3]]
    n = [len(crops) for _, _, crops, _ in items]
    batch = max(n) + 1
    sizes = []
    hook = model.register_forward_pre_hook(lambda module, args: sizes.append(len(args[0])))
    try:
        together = deep_forward(items, model, "cpu", batch)
        calls = len(sizes)
        alone = [deep_forward([item], model, "cpu", batch)[0] for item in items]
    finally:
        hook.remove()
    assert sum(n) > batch and sizes[:calls] == [batch] * (sum(n) // batch) + [sum(n) % batch] * (sum(n) % batch > 0)
    for (patient, table, exc, _), (_, single, _, _), k in zip(together, alone, n):
        assert exc is None and len(table) == k and set(table["patient"]) == {patient}
        got, ref = (t.filter(regex=r"^f\d+$").to_numpy() for t in (table, single))
        assert np.abs(got - ref).max() <= 0.03 * np.abs(ref).max()


def test_worker_killed_mid_stage_same_bytes(study, local, cluster, tmp_path):
    """SIGKILL of the worker running a handcrafted task: Dask reschedules it on the other worker; the
    stage finishes with the local run's bytes. Runs last: the cluster keeps one worker."""
    shutil.copytree(local, tmp_path / "results")
    out = tmp_path / "results"
    shutil.rmtree(out / "features" / "handcrafted")
    killed, watching = {}, threading.Event()

    def kill_when_busy():
        with cluster.client() as client:
            watching.set()
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not killed:
                busy = {w: ks for w, ks in client.processing().items()
                        if any(str(k).startswith("eprstats-handcrafted") for k in ks)}
                if busy:
                    worker = sorted(busy)[0]
                    killed["pid"] = cluster.pid_of(worker)
                    os.kill(killed["pid"], signal.SIGKILL)
                    killed["worker"] = worker
                time.sleep(0.05)

    watcher = threading.Thread(target=kill_when_busy, daemon=True)
    watcher.start()
    assert watching.wait(STARTUP)
    _run_stages(study, out, cluster.address, stages=("handcrafted",))
    watcher.join(timeout=5)
    assert killed.get("worker"), "no handcrafted task was seen running"
    cluster.wait_for(1)
    assert _compared(local, out, sub=("features/handcrafted",)) == []
