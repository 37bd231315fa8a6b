"""Query workers for the endpoint: each query runs in a process that can be killed.

Oxigraph cannot cancel a running query, so the endpoint (:mod:`graph.serve.app`) hands each query
to one of a few worker processes, each holding its own copy of the store (or the on-disk
store opened read-only). Each worker is walled in:

- **no network**: it enters a network namespace of its own (``unshare(CLONE_NEWNET)``, or with a
  user namespace when not root) before it loads anything, so even a ``SERVICE`` the endpoint's
  check missed cannot leave the process (:func:`can_leave_network` tells beforehand whether the
  host allows it; :mod:`graph.serve.app` refuses to start where it does not);
- **only checked text**: it runs no query text but the one :func:`graph.serve.guard.check` writes, and
  checks it again itself, so that size, nesting and chains are bounded before the engine's
  recursive parser sees anything, whoever hands it the job;
- **a memory cap**: its address space is limited (``RLIMIT_AS``); a query past it ends the
  process, the client gets 503 and a new worker starts;
- **an answer cap**: results are written under a row limit and a byte limit (413 past them);
- **a time limit**, and fairness. A query that has computed for a tenth of ``short`` (in CPU
  time: a short query needs milliseconds) drops to the lowest CPU priority at once and runs on
  (a worker whose priority cannot be raised back afterwards, without privileges, is replaced).
  Past ``short`` seconds such a query counts as long (so does one that has waited eight times
  ``short`` without computing, on a disk or a ``SERVICE``); one slow only because the machine is
  busy does not, and is neither demoted nor stopped. Long queries get long lanes, a third as
  many as the workers (at least one): a long query in a lane leaves its worker to the short
  ones, whose place the reserve takes at once, and runs to the time limit. A long query beyond
  the lanes borrows its worker only while nobody waits and another worker stays free; otherwise
  it is stopped (503), so that short queries, most of the traffic, always find a worker.

A graph file is loaded once, by a template process that leaves the network first and then
forks every worker: a worker costs a fork, not a load (the forks share the loaded store's pages
until they write), so a worker stopped for time is replaced at once, even on a big graph. An
``oxigraph:DIR`` store is opened read-only by each worker instead. A stopped or crashed
worker's place goes at once to a worker kept in reserve (nobody waits for the killed one to
die, which for a big heap at a low priority on a busy machine took a second), and a new reserve
is forked while the client already has its answer. A lane's worker, once its query is done,
becomes the reserve, or is stopped when there is one.

Workers also run ``POST /screen`` (``kind="screen"`` jobs, :func:`graph.screening.screen.Screener`) within
the same limits; a worker keeps the graph's projection and name index from its first screen
(which may take ``index_time`` seconds more than the time limit) and the screeners of the last
two ``(as_of, hops)`` pairs. A screen goes to an idle worker that has indexed when there is
one, and a long lane's worker that has screened takes the place of an idle worker that has not
indexed, rather than being stopped: later screens find the index built, and the time limit
holds for them.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text('<https://e.org/a> <https://e.org/name> "A" .')
>>> pool = Pool(str(path), 1)
>>> pool.run({"query": "SELECT ?n { ?s ?p ?n }", "format": "csv"}, 5.0)
(200, b'n\\r\\nA\\r\\n')
>>> pool.close()
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import queue
import re
import threading
import time
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from graph.errors import StoreError
from graph.serve.guard import Refusal, check
from graph.store.backends import open_graph, oxigraph_store
from graph.io.tables import safe_cell
from graph.model.terms import PREFIXES, plain_datatype

__all__ = ["Pool", "can_leave_network"]

_MB = 1024 * 1024
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


class _TooLarge(Exception):
    pass


class Pool:
    """Worker processes, each holding the store; see the module's docstring for their walls.

    Parameters
    ----------
    spec : str
        A graph file or ``oxigraph:DIR``.
    size : int
        Worker processes.
    memory : int, optional
        Each worker's address-space cap in MiB (default 1024; None: no cap).
    short : float
        Seconds after which a running query that computes counts as long (see the module's docstring).
    walled : bool
        Take the workers off the network (off only when the operator allows ``SERVICE``).
    index_time : float
        Seconds a worker's first screen may take beyond the time limit: it indexes the graph's
        names and projects it (about 9 s for data/ on a loaded 2-core machine), once per worker.
    """

    def __init__(self, spec: str, size: int, *, memory: int | None = 1024, short: float = 0.5,
                 walled: bool = True, index_time: float = 60.0) -> None:
        self._spec = spec
        self._context = multiprocessing.get_context("forkserver")
        # the screen's modules too: a worker's first screen then pays for indexing the graph, not imports
        self._context.set_forkserver_preload(["graph.serve.workers", "graph.screening.screen", "graph.network.projection",
                                              "graph.network.paths", "graph.network.ownership_rule"])
        self.memory = memory
        self.short = short
        self.index_time = index_time
        self._indexed: set[int] = set()  # workers that have indexed the graph for screening
        self._walled = walled
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._processes: set = set()
        size = max(1, size)
        # at most a third of the workers (at least one) may run long queries: the others stay free for
        # short ones, which are most of the traffic (a pool of one cannot keep one apart)
        self._long = threading.BoundedSemaphore(max(1, size // 3))
        self.graphs: frozenset[str] = frozenset()
        self.walled = walled
        self.replaced = 0
        self._waiting = 0  # requests waiting for a worker
        self._priority = os.getpriority(os.PRIO_PROCESS, 0)  # a long query's worker gets it back
        # one worker more than ``size`` waits loaded in reserve, so that a stopped worker's place
        # is taken at once rather than after a fork and a load
        self._spare: queue.Queue = queue.Queue()
        # a graph file is loaded once, in a process every worker is forked from: a worker costs a
        # fork, not a load, so a stopped query's worker is replaced at once (an oxigraph:DIR store
        # is opened read-only by each worker, which is cheap and keeps its database out of a fork)
        self._template = None if spec.startswith("oxigraph:") else _Template(self._context, spec, memory, walled)
        started = [self._launch() for _ in range(size + 1)]
        try:
            for worker in started[:size]:
                self._idle.put(self._ready(worker))
            self._spare.put(self._ready(started[size]))
        except StoreError:
            self.close()  # no worker outlives a pool that could not start
            raise

    def run(self, job: dict, timeout: float) -> tuple[int, bytes | str]:
        """Run ``job`` within ``timeout`` seconds: a query (``query``, ``format`` and optional limits,
        graphs), or a screen (``kind="screen"``, ``rows``, ``as_of``, ``hops``; answered as JSON).

        Returns ``(200, answer bytes)`` or ``(status, message)``: 400 malformed or failed query,
        403 a query the check refuses (:func:`graph.serve.guard.check`), 406 RDF/XML asked for a graph
        it cannot write, 413 answer over a limit, 502 a ``SERVICE`` call failed, 503 busy, too
        long or over the memory cap.
        """
        job = {"max_rows": 10_000, "max_answer": 64 * _MB, "default": [], "named": [], **job}
        deadline = time.monotonic() + timeout
        screen = job.get("kind") == "screen"
        with self._lock:
            self._waiting += 1
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return 503, f"the endpoint is busy: no worker was free within {timeout:g} s"
        finally:
            with self._lock:
                self._waiting -= 1
        if screen and worker[0].pid not in self._indexed:
            # a worker that has indexed the graph screens in a fraction of the time: take it if one is idle
            indexed = self._take_idle(lambda other: other[0].pid in self._indexed)
            if indexed is not None:
                self._idle.put(worker)
                worker = indexed
        process, conn = worker
        if screen and process.pid not in self._indexed:
            deadline += self.index_time  # this worker indexes the graph first, once
            timeout += self.index_time
        long = detached = False
        try:
            started, spent = time.monotonic(), _cpu_time(process.pid)
            conn.send(job)
            # up to ``short`` seconds: a query that has computed more than a short one needs
            # (``_COMPUTING`` of ``short`` in CPU time: the named queries of data/ need milliseconds)
            # yields the CPU to the others at once, and keeps running
            niced = False
            while (left := min(deadline, started + self.short) - time.monotonic()) > 0:
                if conn.poll(min(left, _LOOK)):
                    return self._finish(worker, screen, low=niced and not _nice(process.pid, self._priority))
                if not niced and spent is not None and _computed(process.pid, spent, self.short * _COMPUTING):
                    niced = _nice(process.pid, 19)
            # past ``short`` seconds, a query counts as long once it has also computed that much: one
            # that is slow only because the machine is busy is neither demoted nor stopped; one that
            # waits without computing (a disk, a SERVICE) counts as long after ``_WAITING`` times ``short``
            while time.monotonic() < deadline:
                if (niced or _computed(process.pid, spent, self.short * _COMPUTING)
                        or time.monotonic() - started >= _WAITING * self.short):
                    break
                if conn.poll(max(0.0, min(deadline - time.monotonic(), _LOOK))):
                    return self._finish(worker, screen)
            # a long query
            while time.monotonic() < deadline:
                if not long:
                    long = self._long.acquire(blocking=False)
                    # in a long lane, its worker leaves the short queries' workers: the reserve
                    # takes its place, so that a long query costs them nothing
                    detached = long and self._detach()
                if not long and (self._waiting or self._idle.empty()):
                    # no long lane is free, and a query waits or this one holds the last free worker:
                    # it gives way
                    self._replace(worker)
                    return 503, (f"the query ran past {self.short:g} s while other long queries held every "
                                 f"long lane (the other workers are kept for short ones); it was "
                                 f"stopped: try again later or narrow the query")
                if not niced:  # it runs on, yielding the CPU to short queries (few cores, maybe)
                    niced = _nice(process.pid, 19)
                # a query outside a long lane borrows an idle worker, and looks again every 50 ms
                if conn.poll(max(0.0, min(deadline - time.monotonic(), 3600 if long else 0.05))):
                    low = niced and not _nice(process.pid, self._priority)
                    return self._finish(worker, screen, detached=detached, low=low)
        except (EOFError, OSError):
            return self._died(worker, detached)
        finally:
            if long:
                self._long.release()
        self._replace(worker, detached)
        return 503, f"the query ran past the time limit of {timeout:g} s and was stopped"

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            processes = list(self._processes)
        for process in processes:
            process.kill()
            process.join(5)
        if self._template is not None:
            self._template.close()

    def pids(self) -> list[int]:
        """The process ids of the live workers (for benchmarks that watch their memory)."""
        with self._lock:
            return [p.pid for p in self._processes if p.is_alive()]

    # -------------------------------------------------------------------------- private

    def _finish(self, worker, screen: bool = False, *, detached: bool = False, low: bool = False):
        process, conn = worker
        try:
            status, payload = conn.recv()
        except (EOFError, OSError):
            return self._died(worker, detached)
        if screen:
            self._indexed.add(process.pid)
        if low and not detached and not screen:
            # its priority could not be raised back (that needs privileges): a fresh worker takes its
            # place (a screening worker keeps its place and its index, which cost seconds to build)
            self._replace(worker)
        elif not detached:
            self._idle.put(worker)
        elif screen and self._keep_index(worker):
            pass  # it took the place of an idle worker that had not indexed the graph
        elif low or not self._spare.empty():
            self._stop(worker)  # a worker of a long lane whose place is taken: not needed any more
        else:
            self._spare.put(worker)  # it waits in reserve
        return status, payload

    def _keep_index(self, worker) -> bool:
        """A long lane's worker that has just screened takes the place of an idle worker that has
        not indexed the graph, which is stopped (False: every idle worker has indexed, or none is idle).

        Without it the worker holding the index would be stopped or kept in reserve, every screen
        would land on a worker that indexes the graph first, and every screen would get
        ``index_time`` beyond the time limit.
        """
        other = self._take_idle(lambda idle: idle[0].pid not in self._indexed)
        if other is None:
            return False
        self._idle.put(worker)
        self._stop(other)
        return True

    def _take_idle(self, wanted):
        """The first idle worker for which ``wanted(worker)`` holds, taken out (None: none); the
        other idle workers stay, in their order."""
        found, others = None, []
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if found is None and wanted(worker):
                found = worker
            else:
                others.append(worker)
        for worker in others:
            self._idle.put(worker)
        return found

    def _died(self, worker, detached: bool = False):
        process, _ = worker
        process.join(2)
        self._replace(worker, detached)
        cap = f"its memory cap of {self.memory} MiB" if self.memory else "the machine's memory"
        return 503, f"the query's worker stopped (the query needed more than {cap}, or crashed it); it was replaced"

    def _detach(self) -> bool:
        """The reserve takes the place of a long lane's worker among the short ones (False: none ready).

        The lanes are a third of the workers, so the workers alive stay within ``size``, a third
        of it and the reserve.
        """
        try:
            self._idle.put(self._spare.get_nowait())
        except queue.Empty:
            return False
        self._refill(self._spare)  # a new reserve
        return True

    def _launch(self):
        if self._template is not None:  # a graph file: a fork of the process that holds it loaded
            process, parent = self._template.fork()
            with self._lock:
                self._processes.add(process)
            return process, parent
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(self._spec, child, self.memory, self._walled),
                                        daemon=True)
        with self._lock:
            process.start()
            self._processes.add(process)
        child.close()
        return process, parent

    def _ready(self, worker):
        process, conn = worker
        try:
            message = conn.recv()
        except EOFError:
            message = ("failed", f"the worker exited with status {process.exitcode} while loading the graph")
        if message[0] != "ready":
            process.join(5)
            raise StoreError(f"cannot serve {self._spec!r}: {message[1]}")
        self.graphs = frozenset(message[1])
        self.walled = self.walled and message[2] if self._walled else False
        return worker

    def _replace(self, worker, detached: bool = False) -> None:
        """Kill ``worker`` and give its place to the reserve (a detached worker's place is taken)."""
        self._stop(worker)
        with self._lock:
            self.replaced += 1
        if detached:
            return
        # the reserve takes the place at once: a killed worker may take a while to die (freeing
        # a big heap, at a low priority on a busy machine), and nobody waits for that
        try:
            self._idle.put(self._spare.get_nowait())
            target = self._spare
        except queue.Empty:
            target = self._idle
        self._refill(target)  # the client gets its answer now; a new worker is forked meanwhile

    def _stop(self, worker) -> None:
        process, conn = worker
        process.kill()
        with self._lock:
            self._processes.discard(process)
            self._indexed.discard(process.pid)

        def reap():
            process.join(5)
            conn.close()

        threading.Thread(target=reap, daemon=True).start()

    def _refill(self, target: queue.Queue) -> None:
        """Start a new worker in the background and put it in ``target`` once it is ready."""

        def restart():
            if self._closed:
                return
            try:
                target.put(self._ready(self._launch()))
            except (EOFError, OSError, StoreError):
                pass  # closed meanwhile; a live pool's next request waits for another worker

        threading.Thread(target=restart, daemon=True).start()


#: the share of ``short`` a query must have computed (CPU time) to be demoted, and to count as long
#: past ``short`` seconds
_COMPUTING = 0.1
#: seconds between two looks at a running query's CPU time
_LOOK = 0.02
#: how many times ``short`` a query may run (not computing) before it counts as long
_WAITING = 8


def _cpu_time(pid: int) -> float | None:
    """Seconds of CPU the process ``pid`` has used (user and system); None if it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            fields = stream.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _computed(pid: int, since: float | None, seconds: float) -> bool:
    """Whether ``pid`` has used ``seconds`` of CPU since it had used ``since``; True when that
    cannot be read (a host without /proc: time alone then decides, as it did before)."""
    now = _cpu_time(pid)
    return now is None or since is None or now - since >= seconds


_TICKS = os.sysconf("SC_CLK_TCK")


def _nice(pid: int, value: int) -> bool:
    try:
        os.setpriority(os.PRIO_PROCESS, pid, value)
    except OSError:
        return False  # raising a priority back needs privileges; the worker then stays low, which is harmless
    return True


# ------------------------------------------------------------------------------ in the worker


def _worker_main(spec: str, conn, memory: int | None, walled: bool) -> None:
    offline = _leave_network() if walled else False
    loaded = _load(spec, conn)
    if loaded is None:
        return
    graph, inner, graphs = loaded
    _serve(graph, inner, graphs, conn, memory, offline, walled, spec)


def _load(spec: str, conn):
    """The graph, its Oxigraph store and its named graphs; None once a failure is sent to the parent."""
    _few_malloc_arenas()
    try:
        graph = open_graph(spec)
        inner = oxigraph_store(graph)
        return graph, inner, sorted(g.value for g in inner.named_graphs())
    except Exception as exc:  # reported to the parent, which names the spec
        conn.send(("failed", str(exc)))
        return None


def _serve(graph, inner, graphs: list[str], conn, memory: int | None, offline: bool, walled: bool = True,
           spec: str | None = None) -> None:
    """A worker's life once the graph is loaded (from ``spec``): its memory capped, then one job after another."""
    if memory:
        import resource

        used = _address_space()
        if used > memory * _MB:
            conn.send(("failed", f"a worker holding this graph already uses {used // _MB} MiB, more than its "
                                 f"memory cap of {memory} MiB; raise --memory or serve an oxigraph:DIR store"))
            return
        resource.setrlimit(resource.RLIMIT_AS, (memory * _MB, resource.RLIM_INFINITY))
    conn.send(("ready", graphs, offline))
    screeners: dict = {}  # (as_of, hops) -> Screener, the last two used
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job.get("kind") == "screen":
            conn.send(_screen(graph, job, screeners, spec))
        else:
            conn.send(_execute(inner, job, offline, frozenset(graphs), walled))


def _template_main(spec: str, conn, memory: int | None, walled: bool) -> None:
    """The process that loads a graph file once and forks every worker from it.

    It leaves the network first (its forks inherit the namespace), loads the graph, says
    ``ready``, then answers each ``fork`` with a new worker: the worker's end of a pipe passed as
    a file descriptor, then its process id. Forks share the loaded store's pages until they
    write, so a worker costs a fork, not a load. The kernel reaps them (SIGCHLD ignored).
    """
    import signal
    from multiprocessing import reduction

    offline = _leave_network() if walled else False
    loaded = _load(spec, conn)
    if loaded is None:
        return
    graph, inner, graphs = loaded
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    conn.send(("ready", graphs, offline))
    while True:
        try:
            conn.recv()
        except (EOFError, OSError):
            return  # the pool is gone; its workers see their pipes close and end too
        ours, theirs = multiprocessing.Pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                conn.close()
                ours.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _serve(graph, inner, graphs, theirs, memory, offline, walled, spec)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        reduction.send_handle(conn, ours.fileno(), 0)
        ours.close()
        conn.send(pid)


class _Template:
    """The parent's side of :func:`_template_main`: ``fork()`` gives a new worker and its pipe."""

    def __init__(self, context, spec: str, memory: int | None, walled: bool) -> None:
        self._args = (context, spec, memory, walled)
        self._lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        context, spec, memory, walled = self._args
        self._conn, child = context.Pipe()
        self.process = context.Process(target=_template_main, args=(spec, child, memory, walled), daemon=True)
        self.process.start()
        child.close()
        try:
            message = self._conn.recv()
        except EOFError:
            message = ("failed", f"the process loading the graph exited with status {self.process.exitcode}")
        if message[0] != "ready":
            self.process.join(5)
            raise StoreError(f"cannot serve {spec!r}: {message[1]}")

    def fork(self):
        """A new worker: (its process, the pool's end of its pipe). Restarts a dead template once."""
        from multiprocessing import reduction
        from multiprocessing.connection import Connection

        with self._lock:
            try:
                return self._fork(reduction, Connection)
            except (EOFError, OSError):  # the template died (killed, out of memory): load the graph again
                self.close()
                self._start()
                return self._fork(reduction, Connection)

    def _fork(self, reduction, Connection):
        self._conn.send("fork")
        handle = reduction.recv_handle(self._conn)
        return _Forked(self._conn.recv()), Connection(handle)

    def close(self) -> None:
        self.process.kill()
        self.process.join(5)
        self._conn.close()


class _Forked:
    """A worker forked by the template, with the part of ``multiprocessing.Process`` the pool uses."""

    exitcode = None  # its parent is the template, which the kernel reaps for

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def is_alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True

    def kill(self) -> None:
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass

    def join(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout or 0)
        while self.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)


#: glibc's mallopt parameter for the most arenas (malloc.h: M_ARENA_MAX)
_M_ARENA_MAX = -8


def _few_malloc_arenas(arenas: int = 2) -> None:
    """Let glibc keep at most ``arenas`` malloc arenas in this process.

    The memory cap counts address space, and glibc reserves 64 MiB of it for each arena it adds
    when threads contend, up to eight per core: the store's threads on a busy machine took a
    worker of a small oxigraph:DIR store from 150 to over 1,100 MiB, past the default cap, with
    the same resident memory. A C library without ``mallopt`` is left as it is.
    """
    import ctypes

    try:
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass


def _address_space() -> int:
    """This process's virtual memory in bytes (what ``RLIMIT_AS`` counts)."""
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _leave_network() -> bool:
    """Enter a network namespace of its own (only a down loopback in it); True if done."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    # root (CI) can unshare the network alone; others need a user namespace around it
    return any(libc.unshare(flags) == 0 for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET))


def can_leave_network() -> bool:
    """Whether a process here can enter a network namespace of its own (the workers' first wall).

    Tried in a forked child, which exits at once: the caller stays where it was. False where
    ``unshare`` is denied (a container's default seccomp profile, a distribution's user-namespace
    restriction).
    """
    pid = os.fork()
    if pid == 0:  # the child: try, report in the exit status, and leave without cleanup
        try:
            os._exit(0 if _leave_network() else 1)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _execute(inner, job: dict, offline: bool, graphs: frozenset[str] = frozenset(),
             walled: bool = True) -> tuple[int, bytes | str]:
    # the worker checks the text itself and runs only what the check wrote: a caller that skipped
    # the check (or a text that grew deeper on the way) cannot reach the engine's parser
    try:
        checked = check(job["query"], graphs, allow_service=not walled, prefixes=_PREFIXES)
    except Refusal as exc:
        return exc.status, exc.message
    options = {"prefixes": _PREFIXES}
    if job.get("base"):
        options["base_iri"] = job["base"]
    try:
        if job["default"]:
            options["default_graph"] = [ox.NamedNode(g) for g in job["default"]]
        else:
            options["use_default_graph_as_union"] = True
        if job["named"]:
            options["named_graphs"] = [ox.NamedNode(g) for g in job["named"]]
    except ValueError as exc:
        return 400, f"a graph IRI of the request is not an IRI: {exc}"
    out = _Bounded(job["max_answer"])
    try:
        result = inner.query(checked.text, **options)
        if isinstance(result, ox.QueryBoolean):
            names = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                     "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
            return 200, result.serialize(format=names[job["format"]])
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            for chunk in _WRITERS[job["format"]](variables, _take(result, job["max_rows"])):
                out.write(chunk)
            return 200, out.getvalue()
        triples = _take(result, job["max_rows"])
        if job["format"] == "rdfxml":
            # RDF/XML writes a predicate as an element name: one with no XML local name cannot be
            # written (the engine would write an element no XML reader accepts)
            bad = next((t.predicate.value for t in triples if not _XML_LOCAL.search(t.predicate.value)), None)
            if bad is not None:
                return 406, _NO_LOCAL_NAME.format(iri=bad[:200])
            triples = [_xml_safe_triple(t) for t in triples]
        prefixes = _PREFIXES if job["format"] == "turtle" else None
        ox.serialize(triples, output=out, format=_RDF_FORMATS[job["format"]], prefixes=prefixes)
        if job["format"] == "rdfxml" and not _well_formed(out.getvalue()):
            return 406, ("this answer cannot be written as well-formed RDF/XML; ask for text/turtle, "
                         "application/n-triples or application/ld+json")
        return 200, out.getvalue()
    except _TooLarge as exc:
        return 413, str(exc)
    except SyntaxError as exc:
        # the engine read the checked text (positions are in it) and found what the check's grammar
        # allows and the engine's does not
        return 400, f"malformed query: the engine could not read it ({str(exc).splitlines()[0][:200]})"
    except MemoryError:
        return 503, "the query needed more memory than the worker's cap"
    except (OSError, RuntimeError, ValueError, TypeError):
        if out.over:
            return 413, out.message
        # the engine's own words may carry a remote's answer, a host, a port's state or a payload:
        # never echoed
        if checked.service:
            return 502, ("the query's SERVICE call failed; this endpoint's workers have no network" if offline
                         else "the query's SERVICE call failed (the remote's answer is not shown)")
        return 400, "the query failed while it ran (the engine's message is not shown); check its functions and types"


#: screeners a worker keeps, for the last (as_of, hops) pairs asked: they share the first one's
#: projection and name index (about 55 MiB on data/), and each adds its listings, paths and owners
_SCREENERS = 2


def _screen(graph, job: dict, screeners: dict, spec: str | None = None) -> tuple[int, bytes | str]:
    """A ``POST /screen`` job: ``rows`` (counterparties) screened as of ``as_of`` within ``hops``,
    answered with the record of what it ran against (the graph ``spec`` names, ``input``: the body's)."""
    from pathlib import Path

    from graph.errors import ArgumentError, InputError
    from graph.resolve import find_decisions
    from graph.screening.counterparties import annotate
    from graph.screening.record import screening_record
    from graph.screening.screen import Screener, format_screen

    key = (job.get("as_of"), job.get("hops", 1))
    try:
        base = screeners.get("base")  # the projection and the names, the same on every day
        # the reviewed decisions of data/ where the server was started, as `kg screen` reads them
        # (its --data): a pair they forbid never matches over HTTP either
        screener = screeners.pop(key, None) or (
            Screener(graph, as_of=key[0], hops=key[1], decisions=find_decisions([Path("data")])) if base is None
            else Screener(graph, as_of=key[0], hops=key[1], G=base.G, names=base.names))
        screeners.setdefault("base", screener)
        screeners[key] = screener  # the most recently used last
        while len(screeners) > _SCREENERS + 1:  # the base stays
            del screeners[next(k for k in screeners if k != "base")]
        # each row's notes (repeated rows, look-alike letters), as kg screen gives them
        results = annotate(screener.screen(job["rows"]), job["rows"])
        record = screening_record(graph, spec, as_of=screener.as_of, hops=key[1], threshold=None,
                                  limit=screener.limit, file=job.get("input"))
    except (ArgumentError, InputError) as exc:
        return 400, str(exc)
    except MemoryError:
        screeners.clear()
        return 503, "the screen needed more memory than the worker's cap"
    # what `kg screen --format json` prints: the record, then the rows
    return 200, format_screen(results, "json", record=record).encode("utf-8")



class _Bounded:
    """A byte buffer that refuses to grow past ``limit`` (the answer-size cap)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.over = False
        self.message = f"the answer is larger than {limit:,} bytes; add a LIMIT or narrow the query"
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.over = True
            raise _TooLarge(self.message)
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self._parts)


def _take(results, limit: int) -> list:
    rows = []
    for row in results:
        if len(rows) == limit:
            raise _TooLarge(f"the answer has more than {limit} rows; add a LIMIT or narrow the query")
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------ result writers


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif plain_datatype(term.datatype.value, None) is not None:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _write_json(variables, rows):
    yield b'{"head": {"vars": ' + json.dumps(variables, ensure_ascii=False).encode("utf-8") + b'}, "results": {"bindings": ['
    for n, row in enumerate(rows):
        binding = {v: _json_term(row[i]) for i, v in enumerate(variables) if row[i] is not None}
        yield (b", " if n else b"") + json.dumps(binding, ensure_ascii=False).encode("utf-8")
    yield b"]}}"


# XML 1.0 cannot carry these characters at all, not even as references: they become U+FFFD
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _write_xml(variables, rows):
    head = "".join(f"<variable name={quoteattr(_xml(v))}/>" for v in variables)
    yield (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
           f"<head>{head}</head>\n<results>\n").encode("utf-8")
    for row in rows:
        out = ["<result>"]
        for i, v in enumerate(variables):
            if row[i] is None:
                continue
            term = _json_term(row[i])
            value = escape(_xml(term["value"]))
            if term["type"] in ("uri", "bnode"):
                inner = f"<{term['type']}>{value}</{term['type']}>"
            else:
                attrs = "".join(f" {k}={quoteattr(_xml(term[k]))}" for k in ("xml:lang", "datatype") if k in term)
                inner = f"<literal{attrs}>{value}</literal>"
            out.append(f"<binding name={quoteattr(_xml(v))}>{inner}</binding>")
        out.append("</result>\n")
        yield "".join(out).encode("utf-8")
    yield b"</results>\n</sparql>\n"


_NAME_START = ("A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
               "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
#: an IRI that ends in an XML name (NCName), which RDF/XML needs to write it as a predicate
_XML_LOCAL = re.compile(f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00B7\u0300-\u036F\u203F-\u2040]*$")
_NO_LOCAL_NAME = ("RDF/XML cannot carry the predicate <{iri}>: it does not end in an XML name (a letter or _ "
                  "then letters, digits, - or .); ask for text/turtle, application/n-triples or application/ld+json")


def _well_formed(data: bytes) -> bool:
    from xml.parsers import expat

    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError:
        return False
    return True


def _xml_safe_triple(triple):
    o = triple.object
    if isinstance(o, ox.Literal) and _NOT_XML.search(o.value):
        value = _xml(o.value)
        o = (ox.Literal(value, language=o.language) if o.language
             else ox.Literal(value, datatype=o.datatype))
        return ox.Triple(triple.subject, triple.predicate, o)
    return triple


def _write_csv(variables, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_cell(t) for t in row])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _csv_cell(term) -> str:
    # Text a spreadsheet would run as a formula gets a leading "'" (as in every CSV the project
    # writes); numbers stay as they are, so that "-5" is still -5 for a program. A number is
    # known by its text, not its datatype: "=HYPERLINK(...)"^^xsd:integer is not a number.
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal) and term.datatype.value in _NUMERIC and _NUMBER.fullmatch(term.value):
        return term.value
    return safe_cell(term.value)


#: the lexical forms of finite XSD numbers: the only text of a numeric literal written raw in a CSV cell
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


_NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
    "integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}


def _write_tsv(variables, rows):
    yield ("\t".join(f"?{v}" for v in variables) + "\n").encode("utf-8")
    for row in rows:
        yield ("\t".join("" if t is None else _tsv_term(t) for t in row) + "\n").encode("utf-8")


def _tsv_term(term) -> str:
    text = str(term)  # N-Triples syntax, tabs and newlines escaped
    if text.endswith("^^<http://www.w3.org/2001/XMLSchema#string>"):
        text = text[: -len("^^<http://www.w3.org/2001/XMLSchema#string>")]
    return text


_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items()}
_WRITERS = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}


_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
                "rdfxml": ox.RdfFormat.RDF_XML}
