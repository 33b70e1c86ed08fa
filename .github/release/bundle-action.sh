#!/bin/sh
# Makes the GitHub Action's release: a commit holding the JAR in github-action/dist/, tagged with the exact version
# (v0.1.0) and the moving major tag (v0) that `uses: acme/staged-rollout/github-action@v0` resolves. GitHub runs
# the files of the tag and builds nothing, so the tag must hold dist/index.js (committed on every branch) and the
# JAR (committed only here). Run from the repository root:
#   .github/release/bundle-action.sh VERSION JAR [--push]
set -eu
version=$1
jar=$2
push=${3:-}
case "$version" in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "bundle-action: version '$version' is not MAJOR.MINOR.PATCH" >&2; exit 2 ;;
esac
major="v${version%%.*}"
[ -f github-action/dist/index.js ] || { echo "bundle-action: github-action/dist/index.js is missing" >&2; exit 2; }
[ -f "$jar" ] || { echo "bundle-action: $jar is not a file" >&2; exit 2; }
# the release commit is made off every branch: only its tags point at it
git checkout -q --detach
cp "$jar" github-action/dist/rollout.jar
git add -f github-action/dist/rollout.jar
git add -u   # the poms at the release version, when the build set it
git -c user.name="${GIT_AUTHOR_NAME:-staged-rollout release}" -c user.email="${GIT_AUTHOR_EMAIL:-release@invalid}" \
  commit -q -m "release v$version: the GitHub Action with rollout.jar"
git tag "v$version"
git tag -f "$major" >/dev/null
echo "tagged v$version and $major at $(git rev-parse --short HEAD)"
if [ "$push" = "--push" ]; then
  git push origin "v$version"
  git push -f origin "$major"
fi
