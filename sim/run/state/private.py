"""Files that hold credentials: written whole (a temporary file, then a rename) and readable by the owner only."""

import os


def write_private(path: str, text: str) -> str:
    """Write `text` to `path` with mode 0600, atomically (readers see the old file or the new one); returns path."""
    fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
    return path
