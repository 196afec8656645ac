"""Real botocore clients on a chosen model, with nothing taken from the user's environment.

Client fuzzing, the fake client and emulator fuzzing all need the same thing: a botocore client that
speaks exactly the model the generated values follow (an installed one, or one from another release),
with test credentials, whatever ``AWS_PROFILE`` or ``~/.aws`` say.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import botocore.session
from botocore.client import BaseClient
from botocore.config import Config
from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES, ConstantProvider

from botocontract.errors import UnknownNameError
from botocontract.specs.lookup import source_key

if TYPE_CHECKING:
    from botocontract.specs.model import ServiceSpec
    from botocontract.specs.sources import SourceLike

__all__ = ["isolated_session", "model_client", "model_folder", "session_with_model"]

#: Endpoint rules for a service the installed botocore does not know: every call goes to one URL
#: (the caller answers it in ``before-send``, or passes ``endpoint_url``).
_MINIMAL_ENDPOINT_RULES = {
    "version": "1.0",
    "parameters": {
        "Region": {"builtIn": "AWS::Region", "required": False, "documentation": "", "type": "String"},
        "Endpoint": {"builtIn": "SDK::Endpoint", "required": False, "documentation": "", "type": "String"},
    },
    "rules": [
        {
            "conditions": [],
            "type": "endpoint",
            "endpoint": {"url": "https://service.us-east-1.amazonaws.com", "properties": {}, "headers": {}},
        }
    ],
}


def model_folder(name: str, api_version: str, raw: Mapping[str, Any]) -> Path:
    """A new temporary botocore data folder holding ``raw`` and endpoint rules for it; the caller removes it.

    The endpoint rules are the installed botocore's for the service, or a stub when it has none.
    """
    root = Path(tempfile.mkdtemp(prefix="botocontract-model-"))
    folder = root / name / api_version
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(dict(raw)), encoding="utf-8")
    installed = botocore.session.get_session().get_component("data_loader")
    try:
        rules = installed.load_service_model(name, "endpoint-rule-set-1")
    except Exception:  # any service installed botocore does not know
        rules = _MINIMAL_ENDPOINT_RULES
    (folder / "endpoint-rule-set-1.json").write_text(json.dumps(rules), encoding="utf-8")
    return root


def isolated_session(data_path: str | None = None) -> botocore.session.Session:
    """A botocore session that reads no environment variables and no ``~/.aws`` files.

    Every configuration variable is pinned to botocore's default, so ``AWS_PROFILE``,
    ``AWS_ENDPOINT_URL``, ``AWS_MAX_ATTEMPTS`` or a config file cannot change what is called or how.
    """
    session = botocore.session.Session()
    store = session.get_component("config_store")
    for name, spec in BOTOCORE_DEFAUT_SESSION_VARIABLES.items():
        store.set_config_provider(name, ConstantProvider(spec[2]))
    for name in ("config_file", "credentials_file"):
        store.set_config_provider(name, ConstantProvider(os.devnull))
    store.set_config_provider("data_path", ConstantProvider(data_path))
    return session


def session_with_model(name: str, api_version: str, raw: Mapping[str, Any]) -> botocore.session.Session:
    """An isolated session whose loader finds ``raw`` first; its data folder goes with the session."""
    root = model_folder(name, api_version, raw)
    session = isolated_session(str(root))
    weakref.finalize(session, shutil.rmtree, root, True)
    return session


def model_client(
    service: str, source: SourceLike | ServiceSpec = "installed", *, config: Config, region: str = "us-east-1"
) -> BaseClient:
    """A botocore client of ``service`` as modelled in ``source`` (a name, a ``Source`` or a ``ServiceSpec``).

    It has test credentials and ``config``; nothing is sent unless the caller points it somewhere.
    """
    if source_key(source) == "installed":
        session = isolated_session()
        known = session.get_available_services()
        if service not in known:
            raise UnknownNameError("service", service, known)
        api_version = None
    else:
        if hasattr(source, "raw"):
            spec = cast("ServiceSpec", source)
        else:
            from botocontract.specs import load_service

            spec = load_service(service, source)
        session = session_with_model(spec.name, spec.api_version, spec.raw)
        service, api_version = spec.name, spec.api_version
    return session.create_client(
        service,
        region_name=region,
        api_version=api_version,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    )
