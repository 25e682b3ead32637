"""Object storage (S3 API, through django-storages) for evidence, upload parts and exports: decision 0011.

Without `LAYAK_S3_BUCKET` every alias is a folder under MEDIA_ROOT (the embedded default of `make run`). With it,
the three aliases below are one private bucket; object names carry their prefix (`evidence/`, `upload-parts/`,
`exports/`), so the bucket and the media folder have the same layout and a backup of one restores into the other.
"""

from __future__ import annotations

from typing import Any

MIB = 1024 * 1024

# The STORAGES aliases Layak uses besides Django's staticfiles.
EVIDENCE = "default"  # evidence files, content-addressed: evidence/<sha[:2]>/<sha256>
UPLOADS = "uploads"  # the parts of resumable uploads in progress: upload-parts/<session>/<offset>-<tag>
EXPORTS = "exports"  # generated bundles (a cycle's reports): exports/...

FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def filesystem_storages() -> dict[str, dict[str, Any]]:
    """Every alias in MEDIA_ROOT (read when used, so tests may point MEDIA_ROOT elsewhere)."""
    return {EVIDENCE: dict(FILESYSTEM), UPLOADS: dict(FILESYSTEM), EXPORTS: dict(FILESYSTEM)}


def transfer_config() -> Any:
    """boto3's transfer settings, tuned so memory stays flat whatever the file's size.

    Files over 8 MiB go up and down in 8 MiB parts, two at a time, and at most two parts are held in memory
    (s3transfer's default is ten): a 200 MB file costs about the same memory as a 20 MB one.
    """
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=8 * MIB,
        multipart_chunksize=8 * MIB,
        max_concurrency=2,
        max_io_queue=16,
        io_chunksize=256 * 1024,
    )
    config.max_in_memory_upload_chunks = 2
    config.max_in_memory_download_chunks = 16
    return config


def s3_storages(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str | None = None,
    secret_key: str | None = None,
    addressing_style: str = "",
) -> dict[str, dict[str, Any]]:
    """The aliases on one private S3 bucket. Empty credentials leave boto3 its own lookup (instance roles, env)."""
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "addressing_style": addressing_style or ("path" if endpoint_url else None),
        "default_acl": None,  # private objects; the bucket grants nothing to the public
        "querystring_auth": True,
        "querystring_expire": 60,
        "file_overwrite": True,  # evidence names are content hashes, part names are unique
        # A file read from the bucket is spooled to a temporary file past 1 MiB instead of held in memory
        # (django-storages' default, 0, keeps the whole object in memory).
        "max_memory_size": MIB,
        "transfer_config": transfer_config(),
    }
    if access_key:
        options["access_key"] = access_key
    if secret_key:
        options["secret_key"] = secret_key
    s3 = {"BACKEND": "layak.common.object_storage.S3Storage", "OPTIONS": options}
    return {EVIDENCE: s3, UPLOADS: s3, EXPORTS: s3}
