"""``leadflow serve``: the web app (web-form intake and the steward pages)."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.commands.common import DbOption, command_store, settings

commands = typer.Typer()


@commands.command("serve")
def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app: web-form intake (POST /forms/{form_id}) and the steward pages."""
    from flows.store import resolve_url
    from flows.web.serve import serve

    url = resolve_url(db, settings())
    with command_store(url):  # creates or checks the schema before serving
        pass
    serve(url, host=host, port=port, settings=settings())
