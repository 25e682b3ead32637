"""The S3 storage backend of Layak (decision 0011): django-storages' S3Storage, with one change.

A file that is already on disk (a scratch file of an upload, Django's TemporaryUploadedFile) is uploaded *by its
path*: boto3 then reads each part from the file when it sends it, instead of copying parts into memory first as
it must for an open file object. Measured on a 50 MB file: about 4.5 MB of Python memory instead of 40 MB.
"""

from __future__ import annotations

from typing import Any

from storages.backends.s3 import S3Storage as BaseS3Storage
from storages.utils import clean_name


class S3Storage(BaseS3Storage):
    def _save(self, name: str, content: Any) -> str:
        temporary_file_path = getattr(content, "temporary_file_path", None)
        if temporary_file_path is None or self.gzip:
            return str(super()._save(name, content))
        cleaned = clean_name(name)
        key = self._normalize_name(cleaned)
        params = self._get_write_parameters(key, content)
        self.bucket.Object(key).upload_file(temporary_file_path(), ExtraArgs=params, Config=self.transfer_config)
        return str(cleaned)
