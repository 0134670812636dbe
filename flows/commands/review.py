"""``leadflow review`` (the queue in the terminal, keys a/r/s/q) and ``leadflow users add``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import click
import typer
from rich.markup import escape

from flows.commands.common import DbOption, command_store, console
from ingest.roles import ROLES

if TYPE_CHECKING:
    from rich.table import Table

    from ingest.store.review import PairView

commands = typer.Typer()
users_app = typer.Typer(help="People who sign in to the review pages.", no_args_is_help=True)
commands.add_typer(users_app, name="users")
PROMPT = "[a]ccept [r]eject [s]kip [u]ndo [q]uit"


def read_key() -> str:
    """One key press without Enter on a terminal; one character from piped input (EOF: q)."""
    if sys.stdin.isatty():
        return click.getchar().lower()
    char = sys.stdin.read(1)
    return char.lower() if char else "q"


def _pair_table(candidate_id: int, view: PairView) -> Table:
    from rich.table import Table

    table = Table(title=f"pair {candidate_id}", show_lines=False)
    table.add_column("field")
    table.add_column("left")
    table.add_column("right")
    table.add_column("weight", justify="right")
    styles = {"differs": "yellow", "missing": "blue", "same": "green"}
    for row in view.rows:
        if row.state == "empty":
            continue
        weight = "" if row.weight is None else f"{row.weight:+.2f}"
        table.add_row(row.name, row.left, row.right, weight, style=styles.get(row.state))
    return table


def _choose(view: PairView) -> dict[str, int]:
    """Ask, one key per differing field, which value the merged person keeps: 1 the left,
    2 the right, any other key lets survivorship decide. Returns field -> person id."""
    keep: dict[str, int] = {}
    candidate = view.candidate
    for choice in view.choices:
        default = choice.left if choice.default == "left" else choice.right
        console.print(
            f"{choice.name}: [1] {escape(choice.left)}  [2] {escape(choice.right)}  "
            f"[other] rules ({escape(default)})",
            end=" ",
        )
        key = read_key()
        console.print(key.strip())
        if key in ("1", "2"):
            keep[choice.name] = candidate["person_a_id" if key == "1" else "person_b_id"]
    return keep


@commands.command("review")
def review_cmd(
    db: DbOption = None,
    actor: Annotated[str, typer.Option(help="Name recorded on each decision.")] = "terminal",
    source: Annotated[str | None, typer.Option(help="Only pairs from this source.")] = None,
    run_id: Annotated[int | None, typer.Option("--run", help="Only pairs from this run.")] = None,
    band: Annotated[str | None, typer.Option(help="Score band: low, mid or high.")] = None,
) -> None:
    """Walk the pending pairs, most uncertain first, one key each (no Enter): a accept (merge),
    r reject, s skip, u undo the last decision, q quit. After a, each field the two records
    fill differently asks which value survives (1 left, 2 right, other: the rules); a choice is
    pinned, so later imports keep it."""
    from ingest.store import merges
    from ingest.store.review import QueueFilter, pair_view, queue_ids

    keys = {"a": merges.accept, "r": merges.reject, "s": merges.skip}
    f = QueueFilter(source=source, run_id=run_id, band=band)
    decided = 0
    done: list[int] = []  # positions decided in this session, for undo
    position = 0
    with command_store(db) as engine:
        ids = list(queue_ids(engine, f))
        while position < len(ids):
            candidate_id = ids[position]
            view = pair_view(engine, candidate_id)
            if view is None or view.candidate["status"] != "pending":
                position += 1
                continue
            console.print(_pair_table(candidate_id, view))
            console.print(f"p = {view.candidate['probability']:.3f}  source {view.source or '-'}")
            console.print(escape(PROMPT), end=" ")
            key = read_key()
            console.print(key)
            if key == "q":
                break
            if key == "u":
                undone = merges.undo_last(engine, actor=actor) if done else None
                if undone is None:
                    console.print("[yellow]nothing to undo[/]")
                    continue
                decided -= 1
                position = (
                    ids.index(undone.candidate_id) if undone.candidate_id in ids else position
                )
                done.pop()
                console.print(f"undone: pair {undone.candidate_id} is pending again")
                continue
            if key not in keys:
                console.print(f"[yellow]press one of: {escape(PROMPT)}[/]")
                continue
            try:
                keep = _choose(view) if key == "a" else {}
                if keep:
                    merges.accept(engine, candidate_id, actor=actor, keep=keep)
                else:
                    keys[key](engine, candidate_id, actor=actor)
                decided += 1
                done.append(position)
            except merges.DecisionError as error:
                console.print(f"[yellow]{error}[/]")
            position += 1
    console.print(f"{decided} decision(s) recorded")


def _password(from_stdin: bool, prompt: str) -> str:
    """One line of standard input, or the password typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt(prompt, hide_input=True, confirmation_prompt=True)


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "steward",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a user who can sign in to the review pages (the password is prompted for)."""
    password = _password(password_stdin, "Password")
    from ingest.store.users import add_user

    with command_store(db) as engine:
        user = add_user(engine, name, password, role=role)
    console.print(f"user [bold]{user.name}[/] added with role {user.role}")


@users_app.command("password")
def users_password(
    name: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Change a user's password; every session of that user ends at once."""
    password = _password(password_stdin, "New password")
    from ingest.store.users import set_password

    with command_store(db) as engine:
        set_password(engine, name, password)
    console.print(f"password of [bold]{name}[/] changed; their sessions are ended")
