"""Helpers shared by the Python tests: temporary directories and key
files."""

import os
import shutil
import tempfile

KEY_HEX = "00112233445566778899aabbccddeeff" * 2


class TempDir:
    """A private temporary directory removed with its contents."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="tks-py-test-")

    def sub(self, name):
        return os.path.join(self.path, name)

    def key_file(self, hex_key=KEY_HEX):
        """A 0600 key file holding hex_key; returns its path."""
        path = self.sub("root-%s.key" % hex_key[:4])
        if not os.path.exists(path):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(hex_key + "\n")
        return path

    def remove(self):
        shutil.rmtree(self.path, ignore_errors=True)
