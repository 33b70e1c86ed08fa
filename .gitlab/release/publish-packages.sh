#!/bin/sh
# Uploads every file of DIR to GitLab's generic package registry under URL (…/packages/generic/rollout/<version>),
# authenticated by the job token. A file already published with other content is refused by GitLab (duplicates
# are not allowed for a release), so a re-run cannot swap a released JAR.
#   publish-packages.sh DIR URL
set -eu
dir=$1
url=$2
[ -n "${CI_JOB_TOKEN:-}" ] || { echo "publish-packages: CI_JOB_TOKEN is not set" >&2; exit 2; }
published=0
for file in "$dir"/*; do
  [ -f "$file" ] || continue
  published=$((published + 1))
  name=$(basename "$file")
  echo "publishing $name"
  curl --fail --silent --show-error --header "JOB-TOKEN: $CI_JOB_TOKEN" --upload-file "$file" "$url/$name"
  echo
done
[ "$published" -gt 0 ] || { echo "publish-packages: nothing to publish in $dir" >&2; exit 1; }
