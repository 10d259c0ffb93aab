"""Reading user arrays safely: CSV or .npy only, never pickle, with size limits."""

from __future__ import annotations

import io
from typing import Protocol

import numpy as np

from ._validation import as_float_array

#: Largest upload accepted, in bytes.
MAX_BYTES = 20 * 1024 * 1024
#: Largest number of entries accepted in an uploaded array.
MAX_UPLOAD_ENTRIES = 2_000_000


def load_array(data: bytes, filename: str, *, name: str = "array",
               ndim: int | tuple[int, ...] = (1, 2)) -> np.ndarray:
    """Parse an uploaded ``.npy`` or ``.csv`` file into a finite float array.

    Parameters
    ----------
    data : bytes
        File contents.
    filename : str
        Used for the format (by extension) and in messages.
    name : str
        The array's role in messages ("A", "b").
    ndim : int or tuple of int
        Accepted dimensions.

    Raises
    ------
    ValueError
        Unknown extension, too large, pickled object arrays, unparsable text, wrong
        dimensions, NaN/Inf.

    Examples
    --------
    >>> load_array(b"1,2\\n3,4\\n", "A.csv").tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    if len(data) > MAX_BYTES:
        raise ValueError(f"{filename}: {len(data) / 2**20:.1f} MB is over the "
                         f"{MAX_BYTES // 2**20} MB upload limit")
    if not data:
        raise ValueError(f"{filename} is empty")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext == "npy":
        try:
            arr = np.load(io.BytesIO(data), allow_pickle=False)
        except ValueError as exc:
            raise ValueError(f"{filename}: not a plain numeric .npy file ({exc})") from None
        except Exception as exc:
            raise ValueError(f"{filename}: not a readable .npy file ({exc})") from None
    elif ext in ("csv", "txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(f"{filename}: not UTF-8 text") from None
        delimiter = "," if "," in text else None
        try:
            arr = np.loadtxt(io.StringIO(text), delimiter=delimiter, ndmin=1, dtype=float)
        except Exception as exc:
            raise ValueError(f"{filename}: could not read numbers ({exc})") from None
    else:
        raise ValueError(f"{filename}: only .csv and .npy files are accepted")
    if getattr(arr, "size", 0) > MAX_UPLOAD_ENTRIES:
        raise ValueError(f"{filename}: {arr.size:,} entries is over the limit of "
                         f"{MAX_UPLOAD_ENTRIES:,}")
    return as_float_array(arr, f"{name} ({filename})", ndim)


class Upload(Protocol):
    """What the helpers below need of an uploaded file (Streamlit's ``UploadedFile``)."""

    name: str
    size: int

    def getvalue(self) -> bytes: ...


def check_upload_size(upload: Upload, *, max_bytes: int = MAX_BYTES) -> None:
    """Refuse an uploaded file by its declared size, before its bytes are read.

    Streamlit's ``UploadedFile.size`` is known without reading the file, so a file over
    the limit never becomes a ``bytes`` object in the server's memory (Streamlit itself
    refuses anything over ``server.maxUploadSize``, set to the same 20 MB).

    Parameters
    ----------
    upload : UploadedFile or any object with ``name`` and ``size``
    max_bytes : int, default MAX_BYTES

    Raises
    ------
    ValueError
        The declared size is over ``max_bytes``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> check_upload_size(SimpleNamespace(name="A.csv", size=1000))
    >>> check_upload_size(SimpleNamespace(name="big.csv", size=190 * 2**20))
    Traceback (most recent call last):
    ...
    ValueError: big.csv: 190.0 MB is over the 20 MB upload limit
    """
    size = int(upload.size)
    if size > max_bytes:
        raise ValueError(f"{upload.name}: {size / 2**20:.1f} MB is over the "
                         f"{max_bytes // 2**20} MB upload limit")


def load_upload(upload: Upload, *, name: str = "array",
                ndim: int | tuple[int, ...] = (1, 2)) -> np.ndarray:
    """:func:`load_array` of an uploaded file, refused by :func:`check_upload_size`
    before it is read when it is too large.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> data = b"1,0\\n0,1\\n"
    >>> f = SimpleNamespace(name="M.csv", size=len(data), getvalue=lambda: data)
    >>> load_upload(f, name="M", ndim=2).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    check_upload_size(upload)
    return load_array(upload.getvalue(), upload.name, name=name, ndim=ndim)
