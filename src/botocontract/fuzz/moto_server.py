"""A moto server on a free loopback port, for fuzzing an emulator without touching AWS.

moto answers an operation it has not implemented with a bare HTML 500; the reason is only in the
server's own log (``NotImplementedError: The x action has not been implemented``). The server here
runs in-process, so it listens to that log to tell "not implemented" apart from a real server error.
A moto server reached by URL gives no log: :func:`moto_implements` answers from moto's own dispatch
table instead (the response class has a method per implemented action, which is what moto's
``call_action`` looks up).
"""

from __future__ import annotations

import importlib
import logging
import threading
import urllib.request
from functools import lru_cache
from types import TracebackType
from typing import Any

from botocontract.errors import BotocontractError

__all__ = ["MotoServer", "moto_implements", "reset_state"]

_LOGGER = "werkzeug"


class _ErrorTap(logging.Handler):
    """Keeps the last exception the server logged (``Type: message``, the traceback's last line);
    silences the per-request access log."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self._ready = threading.Condition()
        self.last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text = f"{type(error).__name__}: {error}"
        else:  # werkzeug logs the formatted traceback as the message itself
            lines = [line for line in record.getMessage().splitlines() if line.strip()]
            text = lines[-1].strip() if lines else ""
        if text:
            with self._ready:
                self.last = text
                self._ready.notify_all()

    def take(self, wait: float = 0.0) -> str | None:
        with self._ready:
            if self.last is None and wait > 0:
                self._ready.wait_for(lambda: self.last is not None, timeout=wait)
            last, self.last = self.last, None
        return last


class MotoServer:
    """``ThreadedMotoServer`` bound to ``127.0.0.1`` on a port the OS picks; a context manager."""

    def __init__(self) -> None:
        try:
            from moto.server import ThreadedMotoServer
        except ImportError:
            raise BotocontractError(
                "--moto needs moto's server extra, which is not installed",
                hint="pip install 'moto[server]' or pass --endpoint-url",
            ) from None
        self._server: Any = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._tap = _ErrorTap()
        self._saved: tuple[int, bool] | None = None
        self.url = ""

    def start(self) -> MotoServer:
        logger = logging.getLogger(_LOGGER)
        self._saved = (logger.level, logger.propagate)
        logger.addHandler(self._tap)
        logger.setLevel(logging.ERROR)
        logger.propagate = False
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        self._server.stop()
        logger = logging.getLogger(_LOGGER)
        logger.removeHandler(self._tap)
        if self._saved is not None:
            logger.setLevel(self._saved[0])
            logger.propagate = self._saved[1]

    def reset(self) -> None:
        """Forget every resource (moto's ``POST /moto-api/reset``)."""
        reset_state(self.url)

    def take_server_exception(self, wait: float = 0.0) -> str | None:
        """``Type: message`` of the exception the server logged since the last call, if any (consumed).

        The server logs after it has answered, so after a 5xx pass a short ``wait``.
        """
        return self._tap.take(wait)

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def reset_state(url: str, timeout: float = 5.0) -> bool:
    """Ask an emulator to forget its state; False when it offers no reset endpoint."""
    request = urllib.request.Request(url.rstrip("/") + "/moto-api/reset", data=b"", method="POST")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            return bool(200 <= response.status < 300)
    except OSError:
        return False


@lru_cache(maxsize=64)
def _moto_actions(service: str) -> frozenset[str] | None:
    """The action methods of moto's response classes for ``service`` (installed moto), or None."""
    try:
        from moto.core.responses import BaseResponse
    except ImportError:
        return None
    for module_name in dict.fromkeys((service.replace("-", ""), service.replace("-", "_"))):
        try:
            module = importlib.import_module(f"moto.{module_name}.responses")
        except ImportError:
            continue
        names: set[str] = set()
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseResponse) and value is not BaseResponse:
                names.update(n for n in dir(value) if not n.startswith("_"))
        return frozenset(names)
    return None


def moto_implements(service: str, operation: str) -> bool | None:
    """Whether the installed moto implements ``service.operation``; None when moto has no such service
    or is not installed."""
    from botocore import xform_name

    actions = _moto_actions(service)
    if actions is None:
        return None
    return xform_name(operation) in actions
