#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an EMPTY database and media folder, then checks every
# evidence file against the hash Layak stored for it. Usage: DATABASE_URL=postgres://.../layak_new \
#   LAYAK_MEDIA_ROOT=/srv/layak/media scripts/restore.sh /backups/layak-2026-12-05
set -euo pipefail
in="${1:?usage: scripts/restore.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?set DATABASE_URL}"
: "${LAYAK_MEDIA_ROOT:?set LAYAK_MEDIA_ROOT}"
here="$(cd "$(dirname "$0")/.." && pwd)"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$in/db.dump"
mkdir -p "$LAYAK_MEDIA_ROOT"
tar -C "$LAYAK_MEDIA_ROOT" -xzf "$in/evidence.tar.gz"
if [ -s "$in/evidence.sha256" ]; then
  (cd "$LAYAK_MEDIA_ROOT" && sha256sum --quiet --check "$in/evidence.sha256")
fi
"${PYTHON:-$here/.venv/bin/python}" "$here/manage.py" verify_evidence_files
echo "Restored from $in"
