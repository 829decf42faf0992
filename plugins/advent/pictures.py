"""People's pictures as the site serves them: square, small, WebP, without
the camera's metadata, written by the build (never linked from elsewhere)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps

SIZE = 192  # pixels: a 96 px avatar on a 2x screen


def write_picture(source: Path, target: Path, size: int = SIZE) -> None:
    """`source` cropped to its centre square, scaled to `size` and written to
    `target` as WebP (the same input always gives the same bytes)."""
    source, target = Path(source), Path(target)
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        square = ImageOps.fit(image.convert(mode), (size, size), Image.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    square.save(target, "WEBP", quality=82, method=4)
