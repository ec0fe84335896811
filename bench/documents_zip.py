"""Memory of the batch zip: streams N stored files of SIZE MB through placements.documents.zip_response and
reports the peak Python memory (tracemalloc) against the total size, to show the archive is never held in
memory. Run: .venv/bin/python bench/documents_zip.py [N] [SIZE_MB]"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.test import override_settings  # noqa: E402

from placements.documents import documents_storage, zip_response  # noqa: E402


def main(count=40, size_mb=5):
    with tempfile.TemporaryDirectory() as folder:
        storages = {
            "documents": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": folder},
            }
        }
        with override_settings(STORAGES={**django.conf.settings.STORAGES, **storages}):
            block = os.urandom(size_mb * 1024 * 1024)
            names = [documents_storage().save(f"d/{i}.pdf", ContentFile(block)) for i in range(count)]
            del block
            entries = ((name, f"officer-{i}/doc.pdf", size_mb * 1024 * 1024) for i, name in enumerate(names))
            tracemalloc.start()
            started = time.perf_counter()
            sent = sum(
                len(chunk) for chunk in zip_response(entries=entries, filename="x.zip").streaming_content
            )
            elapsed = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    print(f"{count} files x {size_mb} MB: zip of {sent / 1e6:.0f} MB streamed in {elapsed:.2f} s,", end=" ")
    print(f"peak Python memory {peak / 1e6:.2f} MB")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
