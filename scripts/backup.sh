#!/usr/bin/env bash
# Backs up Layak: the PostgreSQL database (pg_dump, custom format) and the evidence files of the media folder,
# with a SHA-256 list of the files. Usage: DATABASE_URL=postgres://... LAYAK_MEDIA_ROOT=/srv/layak/media \
#   scripts/backup.sh /backups/layak-$(date +%F)
# Run it from cron or a systemd timer; keep copies off the machine. See README.md, "Backup and restore".
set -euo pipefail
out="${1:?usage: scripts/backup.sh OUTPUT_FOLDER}"
: "${DATABASE_URL:?set DATABASE_URL}"
media="${LAYAK_MEDIA_ROOT:-$(dirname "$0")/../media}"
mkdir -p "$out"
pg_dump --format=custom --no-owner --no-privileges --file="$out/db.dump" "$DATABASE_URL"
if [ -d "$media/evidence" ]; then
  tar -C "$media" -czf "$out/evidence.tar.gz" evidence
  (cd "$media" && find evidence -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$out/evidence.sha256"
else
  tar -czf "$out/evidence.tar.gz" -T /dev/null
  : > "$out/evidence.sha256"
fi
echo "Backup written to $out"
