"""Running per-patient and per-feature work on a Dask cluster: connecting, checking the workers, mapping in order.

Used by the imaging stages of ``eprstats run`` on a Dask cluster (``--scheduler tcp://HOST:PORT`` or the study
file's ``scheduler:``).

What runs where:

* **the client** (the machine running ``eprstats run``) loads the study, checks that every worker sees the
  study folder (:func:`check_workers`), decides what is cached, writes every output (atomically, as a local
  run does) and runs the statistics stages;
* **the workers** read the images and masks from the shared file system and send values back: ROI volumes
  and pyradiomics features per patient, deep features per patient (CPU) or per group of patients (GPU),
  ICC tables per block of features. They write nothing into the output folder.

Results are gathered in submission order, never in completion order, so the bytes written equal a local
run's. A worker lost mid-stage (killed, out of memory) has its tasks rescheduled by Dask on the others; a
task whose workers died three times (Dask's ``allowed-failures``) fails with an error naming it.
"""
from __future__ import annotations

import asyncio
import contextlib
import pickle
import socket
import sys
import time
import uuid
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

from .errors import InputError, MissingDependencyError
from .fileio import file_sha256

#: seconds to wait for the scheduler to answer, then for a first worker
CONNECT_TIMEOUT = 20
WORKER_TIMEOUT = 60
#: packages whose versions must be the client's on every worker (they decide the features' bytes)
PACKAGES = ("eprstats", "numpy", "pandas", "scipy", "SimpleITK", "pyradiomics", "torch", "torchvision")


# ------------------------------------------------------------------------------------------------ connecting

@contextlib.contextmanager
def session(address: str | None, study, echo=print):
    """A connected, checked client for one run (None without an address); closed when the block ends."""
    if not address:
        yield None
        return
    client = connect(address)
    try:
        workers = check_workers(client, study)
        threads = sum(w["nthreads"] for w in workers.values())
        echo(f"Dask cluster {address}: {len(workers)} worker(s), {threads} thread(s), each sees {study.root}")
        yield client
    finally:
        client.close()


def connect(address: str):
    """A :class:`dask.distributed.Client` of the scheduler at ``address`` with at least one worker;
    :class:`InputError` (exit 2) when nobody answers there or no worker joins."""
    try:
        from dask.distributed import Client
    except ImportError:  # pragma: no cover - distributed is a dependency
        raise MissingDependencyError("running on a Dask cluster needs dask.distributed",
                                     "pip install 'dask[distributed]'") from None
    address = check_scheduler(address)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:
        raise InputError(f"could not connect to the Dask scheduler {address!r} ({exc})",
                         "check the address (tcp://HOST:PORT) and that 'dask scheduler' is running there",
                         file=address) from None
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except Exception:
        client.close()
        raise InputError(f"the Dask scheduler {address!r} has no worker (waited {WORKER_TIMEOUT} s)",
                         f"start workers: dask worker {address} --nthreads 1", file=address) from None
    return client


#: the schemes of a Dask scheduler's address (distributed's comm backends); http(s) is the dashboard's, not the
#: scheduler's
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
ADDRESS_FIX = "give the scheduler's address as tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786), or 'local'"


def parse_scheduler(address):
    """``address`` checked before any connection or work: ``None`` or ``"local"`` as they are, else
    ``SCHEME://HOST:PORT`` with a Dask scheme (a bare ``HOST:PORT`` means tcp), a host and a port in 1-65535;
    returns the address with its scheme. An InputError names what is wrong (scheme, host, port)."""
    if address is None or address == "local":
        return address
    if not isinstance(address, str) or not address.strip():
        raise InputError(f"the Dask scheduler address {address!r} is empty or not text", ADDRESS_FIX)
    text = address.strip()
    full = text if "://" in text else f"tcp://{text}"
    parts = urlsplit(full)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        raise InputError(f"the Dask scheduler address {address!r} is a web ({scheme}://) address: that is the "
                         "dashboard's (port 8787), not the scheduler's", ADDRESS_FIX + "; the scheduler prints it "
                         "as 'Scheduler at: tcp://...'", file=address)
    if scheme not in SCHEMES:
        raise InputError(f"the Dask scheduler address {address!r} has the scheme {parts.scheme!r}, which Dask does "
                         f"not speak (schemes: {', '.join(SCHEMES)})", ADDRESS_FIX, file=address)
    if scheme == "inproc":
        return full
    try:
        port = parts.port
    except ValueError:  # urllib: "Port out of range 0-65535", or not a number
        raise InputError(f"the port of the Dask scheduler address {address!r} is not a number from 1 to 65535",
                         ADDRESS_FIX, file=address) from None
    if not parts.hostname:
        raise InputError(f"the Dask scheduler address {address!r} has no host", ADDRESS_FIX, file=address)
    if port is None or port == 0:
        raise InputError(f"the Dask scheduler address {address!r} has no port (Dask's default is 8786)",
                         ADDRESS_FIX, file=address)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InputError(f"the Dask scheduler address {address!r} has a path or query after the port",
                         ADDRESS_FIX, file=address)
    return full


def check_scheduler(address: str) -> str:
    """The address parsed, reachable and answered by a Dask scheduler (each refused by name, within
    CONNECT_TIMEOUT): the check a command makes before any work, and :func:`connect` before its Client."""
    address = parse_scheduler(address)
    if address in (None, "local"):
        return address
    _refuse_unreachable(address)
    _identify(address)
    return address


def _refuse_unreachable(address: str) -> None:
    """A plain TCP connection first: a port nobody listens on, or a host that does not answer, is refused within
    CONNECT_TIMEOUT and without a half-made Client (whose finaliser printed a traceback at exit)."""
    parts = urlsplit(parse_scheduler(address))
    if parts.scheme not in ("tcp", "tls", "ws", "wss"):
        return  # ucx://, inproc://: the client's own connection tells
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_TIMEOUT):
            pass
    except socket.timeout:
        raise InputError(f"the Dask scheduler address {address!r} did not answer within {CONNECT_TIMEOUT} s",
                         "check the host and port (and any firewall between), and that 'dask scheduler' runs "
                         "there", file=address) from None
    except OSError as exc:
        raise InputError(f"nobody answers at the Dask scheduler address {address!r} ({exc.strerror or exc})",
                         "start the scheduler there ('dask scheduler --port PORT'), or give its address "
                         "(--scheduler or the study file's 'scheduler:')", file=address) from None


def _identify(address: str) -> None:
    """Ask whatever answers at ``address`` who it is (Dask's ``identity`` message), within CONNECT_TIMEOUT.

    ``Client(address, timeout=...)`` waits far past its timeout when something else listens there (a web server,
    the dashboard's port), then prints a traceback from its finaliser at exit; this probe is Dask's own comm
    layer under one hard deadline, and leaves nothing half-made behind."""
    from distributed.comm import connect as comm_connect

    async def probe():
        comm = await comm_connect(address, timeout=CONNECT_TIMEOUT)
        try:
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            comm.abort()

    try:
        reply = asyncio.run(asyncio.wait_for(probe(), CONNECT_TIMEOUT))
    except (asyncio.TimeoutError, OSError) as exc:
        raise InputError(f"something answers at {address!r} but it did not answer as a Dask scheduler within "
                         f"{CONNECT_TIMEOUT} s ({type(exc).__name__})", "check the port: the scheduler's is the "
                         "one 'dask scheduler' prints as 'Scheduler at: tcp://...' (8786 by default), not the "
                         "dashboard's", file=address) from None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        kind = reply.get("type") if isinstance(reply, dict) else type(reply).__name__
        raise InputError(f"the address {address!r} is a Dask {kind}, not a scheduler",
                         "give the scheduler's address (workers connect to it; 'dask scheduler' prints it)",
                         file=address)


def _versions() -> dict:
    out = {"python": "%d.%d" % sys.version_info[:2]}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def probe(study_file: str, manifest_file: str, sample_file: str | None) -> dict:
    """On a worker: what it sees of the study (sha256 of the study file and of the manifest, whether an input
    file exists) and its package versions. Never raises: problems come back as ``error``."""
    out = {"host": socket.gethostname(), "versions": _versions()}
    try:
        out["study_sha256"] = file_sha256(study_file)
        out["manifest_sha256"] = file_sha256(manifest_file)
        if sample_file is not None and not Path(sample_file).exists():
            raise FileNotFoundError(2, "No such file or directory", sample_file)
    except OSError as exc:
        out["error"] = f"{exc.strerror or type(exc).__name__}: {exc.filename or ''}".rstrip(": ")
    return out


def check_workers(client, study) -> dict:
    """Refuse a cluster on which a worker does not see the study folder as the client does (same study file
    and manifest bytes, the first image present) or runs other package versions; returns the scheduler's
    worker records (address -> info)."""
    study_file = str(Path(study.path).resolve())
    manifest = str(Path(study.root, study.settings.manifest).resolve())
    sample = _first_input(study)
    mine = probe(study_file, manifest, sample)
    seen = client.run(probe, study_file, manifest, sample, on_error="return")
    info = client.scheduler_info()["workers"]
    for worker, got in sorted(seen.items()):
        if isinstance(got, BaseException):
            raise InputError(f"the Dask worker {worker} could not check the study folder ({got!r})",
                             "install eprstats in the worker's environment (the client's versions) and see "
                             "the worker's log", file=study_file)
        where = f"the Dask worker {worker} (name {info.get(worker, {}).get('name')}, host {got['host']})"
        if got.get("error"):
            raise InputError(f"{where} cannot see the study folder {study.root} ({got['error']})",
                             "put the study on a file system every worker mounts at the same path (NFS, a "
                             "shared disk), or start the workers where it is", file=str(study.root))
        if (got["study_sha256"], got["manifest_sha256"]) != (mine["study_sha256"], mine["manifest_sha256"]):
            raise InputError(f"{where} sees another study at {study.root} (the study file or manifest differs "
                             "from this machine's)", "give every worker the same shared folder (not a copy)",
                             file=str(study.root))
        differ = [f"{k} {got['versions'].get(k)} (here {v})" for k, v in mine["versions"].items()
                  if _release(got["versions"].get(k)) != _release(v)]
        if differ:
            raise InputError(f"{where} runs other versions: {', '.join(differ)}; its features would differ from "
                             "a local run's", "install the same environment on every worker", file=str(study.root))
    return info


def _release(version):
    """A version without its local part: torch 2.5.1+cu124 on a GPU worker, 2.5.1+cpu here."""
    return None if version is None else str(version).split("+")[0]


def _first_input(study) -> str | None:
    """One image file the manifest names (checked to exist on each worker, beside the manifest's bytes)."""
    for patient in study.patients[:1]:
        for phase in study.phases:
            ref = study.image(patient, phase)
            if ref is not None and Path(ref.path).exists():  # a missing file is the validate stage's to report
                return str(Path(ref.path).resolve())
    return None


# ------------------------------------------------------------------------------------------------ mapping

def threads(client) -> int:
    """The cluster's worker threads (at least 1)."""
    return max(1, sum(w["nthreads"] for w in client.scheduler_info()["workers"].values()))


def share(client, obj):
    """``obj`` sent once to every worker (a future to pass to tasks), instead of once per task."""
    return client.scatter(obj, broadcast=True, hash=False)


def task_key(stage: str) -> str:
    """The prefix of a stage's task keys (``eprstats-STAGE-TOKEN``; the tasks add ``-POSITION``): two runs
    on one scheduler never share a key."""
    return f"eprstats-{stage}-{uuid.uuid4().hex[:8]}"


def submit_all(client, fn, items, *args, stage: str, resources=None, **kwargs) -> list:
    """One task ``fn(item, *args, **kwargs)`` per item; keys name the stage and the item's position."""
    token = task_key(stage)
    return [client.submit(fn, item, *args, key=f"{token}-{i}", pure=False, resources=resources, **kwargs)
            for i, item in enumerate(items)]


def in_order(client, futures, names=None, errors: str = "raise"):
    """Yield the futures' results in submission order (never completion order: the outputs' bytes must not
    depend on which worker finished first). Each result is released once read; on an error or when the
    caller stops early, the remaining tasks are cancelled. ``errors="return"``: a task's exception is
    yielded in place of its result, and the others go on."""
    futures = list(futures)
    try:
        for i in range(len(futures)):
            fut, futures[i] = futures[i], None
            try:
                yield _result(fut, None if names is None else names[i])
            except Exception as exc:
                if errors != "return":
                    raise
                yield exc
    finally:
        rest = [f for f in futures if f is not None]
        if rest:
            client.cancel(rest)


def map_ordered(client, fn, items, *args, stage: str, names=None, **kwargs) -> list:
    """``[fn(item, *args, **kwargs) for item in items]`` on the cluster, in the items' order."""
    return list(in_order(client, submit_all(client, fn, items, *args, stage=stage, **kwargs), names))


def _result(fut, name=None, tries: int = 3):
    """A future's result; a lost connection is retried (Dask recomputes data held by a lost worker), the
    task's own error re-raised, and a task that killed its workers reported by name."""
    from distributed.scheduler import KilledWorker
    for attempt in range(tries):
        try:
            return fut.result()
        except KilledWorker:
            raise InputError(f"the Dask workers running task {fut.key}{f' ({name})' if name else ''} died "
                             "repeatedly (out of memory, or killed)", "check the workers' logs and memory limit, "
                             "then rerun: finished stages are kept", patient=name) from None
        except Exception as exc:
            if fut.status == "error":  # the task's own error (an input error of that patient, ...)
                raise
            if attempt == tries - 1:
                raise InputError(f"the Dask cluster did not return task {fut.key}{f' ({name})' if name else ''} "
                                 f"({type(exc).__name__}: {exc})", "check that the scheduler and the workers still "
                                 "run, then rerun: finished stages are kept", patient=name) from None
            time.sleep(1.0)  # a connection to a worker dropped: the scheduler reassigns its data


def _picklable(exc: BaseException) -> BaseException:
    """The exception itself when it can travel back to the client, else its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
