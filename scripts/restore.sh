#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an EMPTY database and an empty media folder or bucket, then
# checks every evidence file against the hash Layak stored for it. Usage, with the new site's environment:
#   DATABASE_URL=postgres://.../layak_new LAYAK_MEDIA_ROOT=/srv/layak/media scripts/restore.sh /backups/layak-2026-12-05
#   (or LAYAK_S3_BUCKET=layak-restored and the other LAYAK_S3_* variables instead of LAYAK_MEDIA_ROOT)
set -euo pipefail
in="${1:?usage: scripts/restore.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?set DATABASE_URL}"
if [ -z "${LAYAK_S3_BUCKET:-}" ]; then
  : "${LAYAK_MEDIA_ROOT:?set LAYAK_MEDIA_ROOT (or LAYAK_S3_BUCKET)}"
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$here/.venv/bin/python}"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$in/db.dump"
"$python" "$here/manage.py" restore_evidence_files "$in"
"$python" "$here/manage.py" verify_evidence_files
echo "Restored from $in"
