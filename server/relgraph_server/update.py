"""The ``/update`` blueprint: SPARQL 1.1 Update, behind a bearer token.

Updates are off unless ``RELGRAPH_UPDATE_TOKEN`` is set (403 says how to turn
them on); a request must carry ``Authorization: Bearer <token>`` (401 with
``WWW-Authenticate: Bearer`` otherwise). The token is compared in constant
time. A successful update answers 204 and is visible to the next query.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, request

from .errors import BadRequest, Forbidden, Unauthorized
from .protocol import read_operation
from .runtime import runtime

__all__ = ["bp", "check_token"]

bp = Blueprint("update", __name__)


def check_token(token: str | None) -> None:
    """Raise unless updates are on and the request carries the right bearer token."""
    if not token:
        raise Forbidden(
            "updates are off: start the server with RELGRAPH_UPDATE_TOKEN=<secret> in its environment, "
            "then send Authorization: Bearer <secret>"
        )
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized(
            "updates need Authorization: Bearer <token>",
            headers={"WWW-Authenticate": 'Bearer realm="relgraph"'},
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Unauthorized(
            "the bearer token is not valid",
            headers={"WWW-Authenticate": 'Bearer realm="relgraph", error="invalid_token"'},
        )


@bp.route("/update", methods=["POST"])
def update() -> Response:
    rt = runtime()
    check_token(rt.config["update_token"])
    op = read_operation(request, "update")
    if op is None:  # pragma: no cover - a POST yields an operation or raises
        raise BadRequest("no update in the request")
    rt.engine.update(op.text, using_graph=op.default_graphs, using_named_graph=op.named_graphs)
    return Response(status=204)
