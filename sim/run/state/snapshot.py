"""Copies of a sandbox's states right after seeding (or the first sync), so `/_sim/reset` can go back to them
without a restart: SQLite's online backup API both ways (https://www.sqlite.org/backup.html)."""

import contextlib
import os
import tempfile

from sim.store import Store

PREFIX = "seeded-"  # seeded-jumpcloud.sqlite3: matched by `sim reset`'s *.sqlite3, so it goes with the state


class Snapshot:
    """The post-seed copies of some stores, in `folder` (a private temporary folder when None)."""

    def __init__(self, stores: dict[str, Store], folder: str | None):
        self.stores = stores
        self._own_folder = folder is None
        self.folder = folder if folder is not None else tempfile.mkdtemp(prefix="sim-snapshot-")
        self.taken = False

    def path(self, name: str) -> str:
        return os.path.join(self.folder, f"{PREFIX}{name}.sqlite3")

    def take(self) -> None:
        """Copy every store as it is now (mode 0600: the copies hold the same secrets as the states)."""
        for name, store in self.stores.items():
            path = self.path(name)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
            store.backup_to(path)
        self.taken = True

    def restore(self) -> None:
        """Put every store back to its copy (the caller has stopped its own writers)."""
        for name, store in self.stores.items():
            store.restore_from(self.path(name))

    def discard(self) -> None:
        """Remove a temporary folder's copies (copies in a state dir stay, for the next start to replace)."""
        if self._own_folder:
            for name in self.stores:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path(name))
            with contextlib.suppress(OSError):
                os.rmdir(self.folder)
