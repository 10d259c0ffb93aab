"""Reading user arrays safely: CSV or .npy only, never pickle, with size limits."""

from __future__ import annotations

import io

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
