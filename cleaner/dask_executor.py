"""`cleaner build --executor dask`: a batch's documents on a Dask cluster.

Dask is optional (``pip install 'cleaner[dask]'``): this module is imported only when a
batch asks for it, and it imports ``distributed`` only then. The work is the local
executor's: ``build._render_task`` for each document, on the cluster's workers; the
process that runs ``cleaner build`` still writes every output (``build.build_many``), so
the outputs, manifest, summaries, atomic writes and signal handling are those of the
local executor.

Inputs are paths, read by the workers: every worker must see them at the same path (a
shared file system); a relative path is taken relative to this process's working folder.
Outputs are written by this process only. Standard input ("-") never leaves it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from . import __version__
from .build import BuildOptions, ExecutorError, _file_keys, _render_task
from .chrome import chrome_from_keys
from .files import Input, input_name

#: seconds to reach a scheduler, and to wait for its first worker
CONNECT_TIMEOUT = 10.0
INSTALL = "pip install 'cleaner[dask]'"
#: a LocalCluster listens on loopback only, on ports of its own: no dashboard, and its
#: HTTP server (health checks) not on 8787, which another cluster may hold
LOCAL_ONLY: dict[str, Any] = {"host": "127.0.0.1", "dashboard_address": "127.0.0.1:0",
                              "scheduler_kwargs": {"dashboard": False}}


def require() -> None:
    """Raise ExecutorError, saying what to install, when dask.distributed is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ExecutorError(f"--executor dask needs Dask, which is not installed: {INSTALL}") from None


@contextmanager
def connect(jobs: int, scheduler: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` for the length of a batch: of the cluster whose scheduler
    is at ``scheduler``, else of a LocalCluster of ``jobs`` worker processes with one
    thread each, started here and stopped on leaving. Its workers are checked to run this
    version of cleaner (others would write other outputs). ExecutorError when that fails."""
    require()
    import distributed

    cluster = None
    if scheduler:
        client = _client(scheduler)
    else:
        cluster = distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, **LOCAL_ONLY,
                                           preload=[__name__])  # dask_setup, in each worker process
        client = distributed.Client(cluster, set_as_default=False)
    try:
        _check_workers(client, scheduler or "the local cluster")
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def dask_setup(worker: Any) -> None:
    """Run by each worker process of the local cluster as it starts (a preload): Ctrl-C
    reaches the whole process group, and only the process that runs the batch acts on it
    (it stops the cluster itself), so no worker prints a KeyboardInterrupt traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _address(given: str) -> str:
    """``given`` as a scheduler address with its port (8786 when none is given), or
    ExecutorError: a Client made with an address it cannot parse hangs on its way out."""
    from distributed.comm import parse_address, parse_host_port, unparse_host_port
    from distributed.comm.registry import backends

    try:
        scheme, location = parse_address(given)
        if scheme not in backends or scheme == "inproc":
            raise ValueError(f"{scheme}:// is no network protocol of Dask's")
        host, port = parse_host_port(location, default_port=8786)
    except ValueError as e:
        raise ExecutorError(f"--scheduler {given}: not the address of a Dask scheduler, such as tcp://HOST:8786"
                            f" ({_one_line(e)})") from None
    return f"{scheme}://{unparse_host_port(host, port)}"


def _client(given: str) -> Any:
    from distributed import Client

    address = _address(given)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, ValueError, TypeError) as e:  # refused, timed out, not an address
        raise ExecutorError(f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT:g} s"
                            f" ({_one_line(e)})") from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError):
        client.close()
        raise ExecutorError(f"the Dask scheduler at {address} has no worker (waited {CONNECT_TIMEOUT:g} s)") from None
    return client


def _version() -> str:
    """Run on each worker: the version of cleaner it imports."""
    from cleaner import __version__ as version

    return version


def _check_workers(client: Any, where: str) -> None:
    try:
        versions = client.run(_version)
    except Exception as e:  # a worker without cleaner cannot even unpickle _version
        client.close()
        raise ExecutorError(f"the Dask workers of {where} cannot run cleaner ({_one_line(e)}); "
                            f"install cleaner {__version__} on each of them") from None
    other = {w: v for w, v in versions.items() if v != __version__}
    if other:
        worker, version = sorted(other.items())[0]
        client.close()
        raise ExecutorError(f"the Dask worker {worker} runs cleaner {version}, this is cleaner {__version__}: "
                            "install the same version on every worker")


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


# --------------------------------------------------------------------------- folder learning: map-reduce


def _folder_chrome(keys: list[tuple[bytes, frozenset[str]] | None], tags: tuple[str, ...]) -> frozenset[str]:
    """The reduce, on a worker: ``chrome.chrome_from_keys`` over a folder's files."""
    return chrome_from_keys((k for k in keys if k is not None), tags)


def learn(client: Any, folders: list[list[str]], max_bytes: int, tags: tuple[str, ...]) -> list[frozenset[str]]:
    """``chrome.learn_chrome`` of each folder's files, as a map-reduce on the cluster: each
    file's line keys where it is read, summed per folder by one task; the set is that of
    ``learn_chrome`` (its own map and reduce), which the tests check."""
    cwd = os.getcwd()
    chromes = []
    for files in folders:
        keys = client.map(_file_keys, files, max_bytes=max_bytes, cwd=cwd, pure=False)
        chromes.append(client.submit(_folder_chrome, keys, tags, pure=False))
    return client.gather(chromes)


# --------------------------------------------------------------------------- documents


def render(client: Any, files: list[Input], options: BuildOptions, learned: dict[str, frozenset[str]],
           progress: Callable[[list[Input]], Iterable[Input]],
           write: Callable[[Input, list[tuple[str, bytes]] | None, str | None], None]) -> None:
    """Render each of ``files`` on the cluster (``build._render_task``, the local workers'
    function) and hand each outcome to ``write``, here, as the documents finish. A document
    whose task failed on the cluster (its worker died, say) fails alone, with the reason.
    On any exception here (a signal, a bug) the documents not yet done are cancelled."""
    if not files:
        return
    from distributed import as_completed

    cwd = os.getcwd()
    futures = {client.submit(_render_task, i.path, options, learned.get(i.path, frozenset()), i.relative, cwd,
                             pure=False): i for i in files}
    try:
        done = as_completed(futures, loop=client.loop)
        # the progress bar counts documents as they finish, in whatever order
        for _, future in zip(progress(files), done, strict=True):
            item = futures.pop(future)
            write(item, *_outcome(future, item))
    except BaseException:
        client.cancel(list(futures))
        raise


def _outcome(future: Any, item: Input) -> tuple[list[tuple[str, bytes]] | None, str | None]:
    try:
        return future.result()
    except Exception as e:  # KilledWorker, a lost connection: not the document's fault, but not built
        return None, f"{input_name(item.path)}: failed on the Dask cluster ({type(e).__name__}: {_one_line(e)})"
