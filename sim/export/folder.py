"""The output folder rule: an export writes into an empty folder, or `--clean` first removes the files it owns."""

import os


class FolderNotEmpty(Exception):
    """The output folder holds files; the message names them."""


def _listing(out: str) -> list[str]:
    found = []
    for root, _, files in os.walk(out):
        found += [os.path.relpath(os.path.join(root, f), out).replace(os.sep, "/") for f in files]
    return sorted(found)


def _named(paths: list[str]) -> str:
    shown = ", ".join(paths[:5])
    return shown + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")


def prepare(out: str, owned, *, clean: bool) -> list[str]:
    """Refuse a non-empty folder unless `clean`; with it, remove the export's own files (never others)."""
    present = _listing(out) if os.path.isdir(out) else []
    if not present:
        return []
    if not clean:
        raise FolderNotEmpty(f"{out} is not empty ({_named(present)}); pass --clean to replace an earlier export")
    foreign = [p for p in present if not owned(p)]
    if foreign:
        raise FolderNotEmpty(f"{out} holds files an export did not write ({_named(foreign)}); "
                             "--clean only removes the export's own files: move these first")
    for rel in present:
        os.remove(os.path.join(out, *rel.split("/")))
    for root, dirs, _ in os.walk(out, topdown=False):
        for d in dirs:
            path = os.path.join(root, d)
            if not os.listdir(path):
                os.rmdir(path)
    return present
