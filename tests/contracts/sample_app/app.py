"""A tiny application that deploys a SageMaker model and reads it back, used to record a contract."""

from __future__ import annotations

from typing import Any

ROLE = "arn:aws:iam::123456789012:role/sample-app"


def deploy(client: Any, name: str, image: str, *, private_registry: bool = False) -> str:
    """Create the model; ``private_registry`` sends ``ImageConfig`` (new in botocore 1.17.43)."""
    container: dict[str, Any] = {"Image": image, "ModelDataUrl": "s3://sample-app/model.tar.gz"}
    if private_registry:
        container["ImageConfig"] = {"RepositoryAccessMode": "Vpc"}
    response = client.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=container)
    return str(response["ModelArn"])


def image_of(client: Any, name: str) -> str:
    """The image a model runs, as the application reads it back."""
    return str(client.describe_model(ModelName=name)["PrimaryContainer"]["Image"])


def access_mode(client: Any, name: str) -> str | None:
    """How the model's image is pulled (``Vpc`` for a private registry), read back from the model."""
    container = client.describe_model(ModelName=name)["PrimaryContainer"]
    return (container.get("ImageConfig") or {}).get("RepositoryAccessMode")
