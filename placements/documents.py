"""Participants' documents as files: the checks every upload passes, the private storage they live in, and
the responses that hand them out. The writes with rules (upload, accept, return, purge) are services in
placements/services.py; they call these.

An upload is judged by its bytes, never by its name or its declared type: `filetype` reads the magic
numbers; an image is decoded and re-encoded by Pillow (which leaves EXIF, GPS and other metadata behind);
a PDF is parsed by pypdf and refused when encrypted or when it carries JavaScript or launch actions. The
stored name is generated; the participant's file name only labels downloads."""

import hashlib
import io
import uuid
from typing import NamedTuple

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from zipstream import ZipStream

from .models import DocumentRequirement

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
# The PDF keys and action types a document must not carry: scripts, and actions that start programs.
PDF_SCRIPT_KEYS = {"/JS", "/JavaScript"}
PDF_FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch"}
# Enough for any real scan; a file with more objects than this is refused rather than walked for ever.
PDF_MAX_OBJECTS = 200_000
IMAGE_MAX_PIXELS = 60_000_000
CHUNK = 64 * 1024


def documents_storage():
    """The private storage of documents (settings.STORAGES["documents"]): a folder outside the static
    files by default, an S3-compatible bucket in production."""
    return storages["documents"]


def storage_signs_urls(storage):
    """Whether the storage hands out short-lived signed URLs (S3), so the file need not pass through us."""
    return bool(getattr(storage, "querystring_auth", False))


class CheckedFile(NamedTuple):
    content: bytes
    content_type: str
    sha256: str

    @property
    def extension(self):
        return EXTENSIONS[self.content_type]


def _refuse(message):
    raise ValidationError({"file": message})


def document_check_file(*, upload, accepted_types) -> CheckedFile:
    """The bytes to store for an uploaded file, checked: at most DOCUMENTS_MAX_BYTES, a PDF, JPEG or PNG
    by content and one of `accepted_types` ("pdf", "jpeg", "png"); images re-encoded without metadata;
    PDFs parsed and refused if encrypted, scripted or launching programs. Raises ValidationError."""
    limit = settings.DOCUMENTS_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        _refuse(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    data = b"".join(upload.chunks())
    if len(data) > limit:
        _refuse(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    if not data:
        _refuse(_("The file is empty."))
    kind = filetype.guess(data)
    content_type = kind.mime if kind else None
    allowed = {DocumentRequirement.FILE_TYPES[t] for t in accepted_types}
    if content_type not in allowed:
        names = ", ".join(t.upper() for t in accepted_types)
        _refuse(
            _("This file is not a %(types)s file (judged by its content, not its name).") % {"types": names}
        )
    if content_type == PDF:
        _check_pdf(data)
    else:
        data = _reencode_image(data, content_type)
    return CheckedFile(data, content_type, hashlib.sha256(data).hexdigest())


def _reencode_image(data, content_type):
    """Decode the image and encode it afresh: only the pixels survive (no EXIF, GPS, comments, XMP)."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > IMAGE_MAX_PIXELS:
                _refuse(_("The image is too large in pixels; scan it at a lower resolution."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            # Turn the picture upright as the camera meant, since the orientation tag goes with the EXIF.
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if content_type == JPEG:
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=90)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        _refuse(_("The image cannot be read; it may be damaged."))
    return out.getvalue()


def _check_pdf(data):
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _refuse(_("The PDF is encrypted or password-protected; save it without a password."))
        problem = _pdf_active_content(reader)
        if problem:
            _refuse(problem)
        if len(reader.pages) == 0:
            _refuse(_("The PDF has no pages."))
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        _refuse(_("The PDF cannot be read; it may be damaged."))


def _pdf_active_content(reader):
    """Walk every object reachable from the trailer; the message for the first script or launch action
    found, else None. Names are compared as pypdf decodes them (so /J#61vaScript is /JavaScript)."""
    stack, seen, count = [reader.trailer], set(), 0
    while stack:
        node = stack.pop()
        count += 1
        if count > PDF_MAX_OBJECTS:
            return _("The PDF is too complex to check.")
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            stack.append(node.get_object())
        elif isinstance(node, DictionaryObject):
            for name, value in dict.items(node):
                if name in PDF_SCRIPT_KEYS:
                    return _("The PDF contains JavaScript; print it to a new PDF without scripts.")
                if name == "/S" and value in PDF_FORBIDDEN_ACTIONS:
                    if value == "/Launch":
                        return _("The PDF contains an action that launches a program.")
                    return _("The PDF contains JavaScript; print it to a new PDF without scripts.")
                if name == "/Launch":
                    return _("The PDF contains an action that launches a program.")
                if name != "/Parent":
                    stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


def document_store(*, checked: CheckedFile, folder) -> str:
    """Save checked bytes under a generated name in the documents storage; the name stored."""
    name = f"{folder}/{uuid.uuid4().hex}.{checked.extension}"
    return documents_storage().save(name, ContentFile(checked.content))


def document_storage_delete(name):
    """Delete a stored file (no error if it is already gone)."""
    if name:
        documents_storage().delete(name)


def document_storage_copy(name, *, folder):
    """A copy of a stored file under a new generated name (a blank form copied to another batch)."""
    storage = documents_storage()
    extension = name.rsplit(".", 1)[-1]
    with storage.open(name, "rb") as source:
        return storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", ContentFile(source.read()))


def safe_name(label):
    """A label made safe as a file or folder name (never a path the participant chose)."""
    return get_valid_filename(label)[:80] or "document"


def download_filename(label, extension):
    return f"{safe_name(label)}.{extension}"


def file_response(*, storage_name, filename, content_type):
    """The file as an attachment: streamed from the folder, or (S3) a redirect to a short-lived signed
    URL that makes the object store send it as an attachment too. Call only after the permission check."""
    storage = documents_storage()
    if storage_signs_urls(storage):
        url = storage.url(
            storage_name,
            parameters={
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
                "ResponseContentType": content_type,
            },
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            storage.open(storage_name, "rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _chunks(storage_name):
    """The stored file's bytes, a chunk at a time, opened only when the zip reaches it."""
    with documents_storage().open(storage_name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def zip_response(*, entries, filename):
    """A zip of stored files streamed as it is written: nothing is built in memory or on disk.
    `entries` yields (storage_name, name in the zip, size)."""
    stream = ZipStream(sized=False)
    for storage_name, arcname, size in entries:
        stream.add(_chunks(storage_name), arcname, size=size)
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
