#!/usr/bin/env bash
# CLI start-up (issue 18, P1): `rollout status`, `start`, `advance` (no bake) and `promote` against a Java
# hello-world on the same JVM, each measured in the same run, interleaved round by round so that a busy machine
# weighs on every command alike.
#
#   mvn -q -pl rollout-cli -am -DskipTests package            # builds rollout-cli/target/rollout.jar
#   bench/cli-startup.sh [ROUNDS] [--before OLD.jar]          # default 20 rounds; prints a Markdown table
#
# --before: the JAR of an earlier commit (e.g. `git worktree add /tmp/old <commit>` and build it there), measured
# plain (`java -jar` on Java 17), with an AppCDS archive of its `status` run, and — when it has the command
# `train-startup-cache` (since 2026-12-05) — on JDK 25 with its own AOT cache and the launcher's options, the way
# ./rollout ran it.
# JAVA17 and JAVA25 name the two JVMs (default: java on the PATH, /usr/lib/jvm/temurin-25-jdk-amd64/bin/java).
#
# "launcher's options" are the JVM options ./rollout passes: -XX:+UseSerialGC -Djdk.reflect.useNativeAccessorOnly=true,
# and -XX:TieredStopAtLevel=1 for every command but run, advance and demo; like the launcher, these rows start the
# JAR's main class with -cp (the "plain java -jar" and "before" rows use -jar). The hello-world runs with the JVM's
# defaults.
# What is measured, per command and JVM: wall time and CPU time (user + sys) of the whole process, medians over the
# rounds. The archives are recorded the way the `./rollout` launcher records them (`train-startup-cache`: JDK 25
# AOT cache with -XX:AOTCacheOutput, JDK 17 AppCDS with -XX:ArchiveClassesAtExit), before the rounds: one of all
# everyday commands, and one of the everyday commands printing text (`--family text`), which `status`, `start`,
# `advance` and `promote` run with, as through the launcher.
# A command that changes state gets a fresh copy of its store before each run (not timed).
set -euo pipefail
ROUNDS=20 BEFORE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --before) BEFORE="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    *) ROUNDS="$1"; shift ;;
  esac
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${ROLLOUT_JAR:-$ROOT/rollout-cli/target/rollout.jar}
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -q -pl rollout-cli -am -DskipTests package" >&2; exit 2; }
JAVA17=${JAVA17:-$(command -v java)}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$JAVA25" ] || JAVA25=""
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rollout-startup.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# --- the baseline: a hello-world JAR
mkdir -p src classes new old
cat > src/Hello.java <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
"$(dirname "$JAVA17")/javac" -d classes src/Hello.java
printf 'Main-Class: Hello\n' > hello.mf && "$(dirname "$JAVA17")/jar" cfm hello.jar hello.mf -C classes Hello.class
cp "$JAR" new/rollout.jar
[ -n "$BEFORE" ] && cp "$BEFORE" old/rollout.jar

# --- stores: a rollout waiting for approval at its first ring (status, promote), one just started (advance), and
# a key whose last rollout completed (start on a key with a past reads its history)
cat > plan.yaml <<'YAML'
service: checkout
environment: production
rings:
  - {name: canary, exposure: 5%, bake: 0s, approval: manual}
  - {name: everyone, exposure: 100%, bake: 0s}
actions:
  deploy: {kind: command, command: ["true"]}
  revert: {kind: command, command: ["true"]}
YAML
R() { "$JAVA17" -jar new/rollout.jar "$@" >/dev/null 2>&1 || true; }
R start plan.yaml --version 2.0.0 --stable-version 1.0.0 --state-dir pending
cp -r pending waiting
R advance --rollout checkout/production --state-dir waiting
R start plan.yaml --version 1.0.0 --state-dir done
R advance --rollout checkout/production --state-dir done
R promote --rollout checkout/production --ring canary --state-dir done
R advance --rollout checkout/production --state-dir done

# --- archives, recorded as the launcher records them
TRAIN="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djdk.reflect.useNativeAccessorOnly=true"
MAIN="-cp new/rollout.jar io.stagedrollout.cli.Main" # as the launcher starts it (not -jar: no manifest to read)
R17="-Xlog:cds=off -Xlog:cds+dynamic=off $MAIN train-startup-cache --keep-in"
R25="-Xlog:aot=off -Xlog:cds=off $MAIN train-startup-cache --keep-in"
"$JAVA17" $TRAIN -XX:ArchiveClassesAtExit=new/jdk17.jsa $R17 train17 >/dev/null 2>&1
"$JAVA17" $TRAIN -XX:ArchiveClassesAtExit=new/jdk17.text.jsa $R17 train17 --family text >/dev/null 2>&1
if [ -n "$JAVA25" ]; then
  "$JAVA25" $TRAIN -XX:AOTCacheOutput=new/jdk25.aot $R25 train25 >/dev/null 2>&1
  "$JAVA25" $TRAIN -XX:AOTCacheOutput=new/jdk25.text.aot $R25 train25 --family text >/dev/null 2>&1
fi
OLD25=""
if [ -n "$BEFORE" ]; then
  "$JAVA17" -XX:ArchiveClassesAtExit=old/jdk17.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -jar old/rollout.jar \
    status --rollout checkout/production --state-dir waiting >/dev/null 2>&1 || true
  if [ -n "$JAVA25" ] && "$(dirname "$JAVA17")/jar" tf old/rollout.jar > old/entries && grep -q 'cli/StartupTraining.class' old/entries; then
    "$JAVA25" $TRAIN -XX:AOTCacheOutput=old/jdk25.aot -Xlog:aot=off -Xlog:cds=off -jar old/rollout.jar train-startup-cache >/dev/null 2>&1
    OLD25=1
  fi
fi
# the launcher, from a clone-like directory with its cache recorded
mkdir -p clone/rollout-cli/target && cp "$ROOT/rollout" clone/ && cp "$JAR" clone/rollout-cli/target/rollout.jar
export ROLLOUT_CACHE_DIR="$WORK/cache"
unset CI ROLLOUT_NO_CDS ROLLOUT_JAVA ROLLOUT_JAVA_OPTS
ROLLOUT_TRAIN_WAIT=1 clone/rollout --version >/dev/null # records both archives before it runs

# the launcher's JVM options: the serial collector and native reflection accessors, and for all but
# run/advance/demo the quick compiler only
LONG="-XX:+UseSerialGC -Djdk.reflect.useNativeAccessorOnly=true" SHORT="$LONG -XX:TieredStopAtLevel=1"
A17="-XX:SharedArchiveFile=new/jdk17.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off $MAIN"
A25="-XX:AOTCache=new/jdk25.aot -Xlog:aot=off -Xlog:cds=off $MAIN"
RA17="-XX:SharedArchiveFile=new/jdk17.text.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off $MAIN"
RA25="-XX:AOTCache=new/jdk25.text.aot -Xlog:aot=off -Xlog:cds=off $MAIN"
N17="$JAVA17 $SHORT $A17" RN17="$JAVA17 $SHORT $RA17" RL17="$JAVA17 $LONG $RA17"
N25="$JAVA25 $SHORT $A25" RN25="$JAVA25 $SHORT $RA25" RL25="$JAVA25 $LONG $RA25"
ON25="$JAVA25 $SHORT -XX:AOTCache=old/jdk25.aot -Xlog:aot=off -Xlog:cds=off -jar old/rollout.jar"
OL25="$JAVA25 $LONG -XX:AOTCache=old/jdk25.aot -Xlog:aot=off -Xlog:cds=off -jar old/rollout.jar"
O17="$JAVA17 -jar old/rollout.jar"
O17C="$JAVA17 -XX:SharedArchiveFile=old/jdk17.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off -jar old/rollout.jar"
STATUS="status --rollout checkout/production --state-dir waiting"
START="start plan.yaml --version 2.0.0 --state-dir fresh"
ADVANCE="advance --rollout checkout/production --state-dir fresh"
PROMOTE="promote --rollout checkout/production --ring canary --state-dir fresh"

# name | command | store to copy into ./fresh before each run ("-": none)
declare -a NAMES CMDS PREP
add() { NAMES+=("$1"); CMDS+=("$2"); PREP+=("$3"); }
add hello17 "$JAVA17 -jar hello.jar" -
add status17 "$RN17 $STATUS" -
add status17-all "$N17 $STATUS" -
add status17-defaults "$JAVA17 $RA17 $STATUS" -
add status17-plain "$JAVA17 -jar new/rollout.jar $STATUS" -
add start17 "$RN17 $START" empty
add start17-past "$RN17 $START" done
add advance17 "$RL17 $ADVANCE" pending
add promote17 "$RN17 $PROMOTE" waiting
if [ -n "$JAVA25" ]; then
  add hello25 "$JAVA25 -jar hello.jar" -
  add status25 "$RN25 $STATUS" -
  add status25-all "$N25 $STATUS" -
  add status25-defaults "$JAVA25 $RA25 $STATUS" -
  add status25-plain "$JAVA25 -jar new/rollout.jar $STATUS" -
  add status25-launcher "clone/rollout $STATUS" -
  add start25 "$RN25 $START" empty
  add start25-past "$RN25 $START" done
  add advance25 "$RL25 $ADVANCE" pending
  add promote25 "$RN25 $PROMOTE" waiting
fi
if [ -n "$BEFORE" ]; then
  add before-status17 "$O17 $STATUS" -
  add before-status17-cds "$O17C $STATUS" -
  add before-start17 "$O17 $START" empty
  add before-start17-past "$O17 $START" done
  add before-advance17 "$O17 $ADVANCE" pending
  add before-promote17 "$O17 $PROMOTE" waiting
fi
if [ -n "$OLD25" ]; then
  add before-status25 "$ON25 $STATUS" -
  add before-start25 "$ON25 $START" empty
  add before-start25-past "$ON25 $START" done
  add before-advance25 "$OL25 $ADVANCE" pending
  add before-promote25 "$ON25 $PROMOTE" waiting
fi
mkdir -p empty
for i in "${!CMDS[@]}"; do # every command works before anything is timed
  [ "${PREP[$i]}" = - ] || { rm -rf fresh; cp -r "${PREP[$i]}" fresh; }
  set +e; ${CMDS[$i]} >/dev/null 2>&1; code=$?; set -e
  case "$code" in 0|4) ;; *) echo "failed ($code): ${CMDS[$i]}" >&2; exit 1 ;; esac
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)
TIMEFORMAT='%R %U %S'
: > times
n=${#CMDS[@]}
for r in $(seq "$ROUNDS"); do
  for k in $(seq 0 $((n - 1))); do
    i=$(( (k + r) % n )) # rotate the order each round
    [ "${PREP[$i]}" = - ] || { rm -rf fresh; cp -r "${PREP[$i]}" fresh; }
    t=$( { time ${CMDS[$i]} >/dev/null 2>&1; } 2>&1 ) || true
    echo "${NAMES[$i]} $t" >> times
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)

median() { # name column(2=wall, 3=cpu): the median in ms
  awk -v n="$1" -v c="$2" '$1 == n { v = (c == 2) ? $2 : $3 + $4; print v * 1000 }' times | sort -n \
    | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
row() { # label name baseline-name
  local w c bw bc
  w=$(median "$2" 2) c=$(median "$2" 3) bw=$(median "$3" 2) bc=$(median "$3" 3)
  awk -v l="$1" -v w="$w" -v c="$c" -v bw="$bw" -v bc="$bc" -v b="$3" \
    'BEGIN { printf "| %s | %.0f ms | %.0f ms | **%.2f** | %.2f | %s |\n", l, w, c, w / bw, c / bc, b }'
}
echo "CLI start-up, $ROUNDS interleaved rounds, medians; $(nproc) CPUs; load average $LOAD_BEFORE before, $LOAD_AFTER after"
echo "JVMs: $("$JAVA17" -version 2>&1 | head -1)${JAVA25:+; $("$JAVA25" -version 2>&1 | head -1)}"
echo
echo "| command | wall | CPU (user+sys) | wall ratio | CPU ratio | against |"
echo "|---|---|---|---|---|---|"
row "java hello-world (17)" hello17 hello17
if [ -n "$BEFORE" ]; then
  row "before: status (17, plain java -jar)" before-status17 hello17
  row "before: status (17, AppCDS of a status run)" before-status17-cds hello17
  row "before: start (17)" before-start17 hello17
  row "before: start, key with a past (17)" before-start17-past hello17
  row "before: advance, no bake (17)" before-advance17 hello17
  row "before: promote (17)" before-promote17 hello17
fi
row "status (17, plain java -jar)" status17-plain hello17
row "status (17, text archive, default JVM options)" status17-defaults hello17
row "status (17, AppCDS of all commands, launcher's options)" status17-all hello17
row "status (17, text archive, launcher's options)" status17 hello17
row "start (17, text archive, launcher's options)" start17 hello17
row "start, key with a past (17, text archive, launcher's options)" start17-past hello17
row "advance, no bake (17, text archive, launcher's options)" advance17 hello17
row "promote (17, text archive, launcher's options)" promote17 hello17
if [ -n "$JAVA25" ]; then
  row "java hello-world (25)" hello25 hello25
  row "status (25, plain java -jar)" status25-plain hello25
  if [ -n "$OLD25" ]; then
    row "before: status (25, its AOT cache, launcher's options)" before-status25 hello25
    row "before: start (25)" before-start25 hello25
    row "before: start, key with a past (25)" before-start25-past hello25
    row "before: advance, no bake (25)" before-advance25 hello25
    row "before: promote (25)" before-promote25 hello25
  fi
  row "status (25, text AOT cache, default JVM options)" status25-defaults hello25
  row "status (25, AOT cache of all commands, launcher's options)" status25-all hello25
  row "status (25, text AOT cache, launcher's options)" status25 hello25
  row "status (25, through ./rollout)" status25-launcher hello25
  row "start (25, text AOT cache, launcher's options)" start25 hello25
  row "start, key with a past (25, text AOT cache, launcher's options)" start25-past hello25
  row "advance, no bake (25, text AOT cache, launcher's options)" advance25 hello25
  row "promote (25, text AOT cache, launcher's options)" promote25 hello25
fi
if [ -n "$BEFORE" ]; then
  echo
  echo "| after / before (wall) | status | start | start, key with a past | advance | promote |"
  echo "|---|---|---|---|---|---|"
  for after in 17 ${JAVA25:+25}; do
    awk -v a="$after" -v s="$(median status$after 2)" -v sb="$(median before-status17 2)" -v t="$(median start$after 2)" \
      -v tb="$(median before-start17 2)" -v h="$(median start$after-past 2)" -v hb="$(median before-start17-past 2)" \
      -v v="$(median advance$after 2)" -v vb="$(median before-advance17 2)" \
      -v p="$(median promote$after 2)" -v pb="$(median before-promote17 2)" \
      'BEGIN { printf "| after on %s / before (17, plain) | %.2f | %.2f | %.2f | %.2f | %.2f |\n", a, s / sb, t / tb, h / hb, v / vb, p / pb }'
  done
  if [ -n "$OLD25" ]; then
    awk -v s="$(median status25 2)" -v sb="$(median before-status25 2)" -v t="$(median start25 2)" \
      -v tb="$(median before-start25 2)" -v h="$(median start25-past 2)" -v hb="$(median before-start25-past 2)" \
      -v v="$(median advance25 2)" -v vb="$(median before-advance25 2)" \
      -v p="$(median promote25 2)" -v pb="$(median before-promote25 2)" \
      'BEGIN { printf "| after on 25 / before on 25 (its AOT cache, launcher options) | %.2f | %.2f | %.2f | %.2f | %.2f |\n", s / sb, t / tb, h / hb, v / vb, p / pb }'
  fi
fi
