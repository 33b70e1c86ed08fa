#!/usr/bin/env bash
# `rollout list` over many stored rollouts from the command line, against baselines measured in the same run.
#
#   mvn -q -pl rollout-cli -am -DskipTests package          # builds rollout-cli/target/rollout.jar
#   bench/list-bench.sh [RUNS] [SIZES]                       # default 10 rounds; sizes "2500 5000 10000"
#   BEFORE_JAR=/path/to/older/rollout.jar bench/list-bench.sh   # also times an older build on the same stores
#
# Method. One real rollout is made with the JAR (`rollout run` of a three-ring plan, bake 0s: 10 commits, the
# journal and state.json exactly as the store writes them), then copied under N service names of the same length
# (s0000000/production, …), so every state file and journal has the same size. Each round runs every command once,
# in the same order, and each command's time is divided by the baseline's time *of the same round* (the machine's
# load drifts between rounds; within one round the commands run back to back). The table gives the median over the
# rounds of the wall time, of the CPU time (user+sys, from GNU time), and of the per-round ratio.
#   hello       a Java hello-world JAR                                   (start-up baseline)
#   read-N      a Java program that walks the store and reads every state.json (the baseline for list)
#   list-N      rollout list --state-dir <store of N>                    (this build, plain java -jar)
#   launcher-N  ./rollout list --state-dir <store of N>: the launcher, with its start-up archive recorded first
#               (JDK 25 AOT cache when it finds a JDK 25, else AppCDS; its JVM options)
#   before-N    the same as list-N with $BEFORE_JAR, when given
set -euo pipefail
RUNS=${1:-10}
SIZES=${2:-"2500 5000 10000"}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${ROLLOUT_JAR:-$ROOT/rollout-cli/target/rollout.jar}
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -q -pl rollout-cli -am -DskipTests package" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 2; }
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rollout-listbench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

mkdir -p src classes
cat > src/Hello.java <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
cat > src/ReadFiles.java <<'JAVA'
import java.nio.file.*;
/** Walks service/environment/ and reads every state.json: what any list must at least do. */
public class ReadFiles {
    public static void main(String[] a) throws Exception {
        long bytes = 0;
        try (DirectoryStream<Path> services = Files.newDirectoryStream(Path.of(a[0]))) {
            for (Path s : services) {
                if (!Files.isDirectory(s)) continue;
                try (DirectoryStream<Path> envs = Files.newDirectoryStream(s)) {
                    for (Path e : envs) bytes += Files.readAllBytes(e.resolve("state.json")).length;
                }
            }
        }
        System.out.println(bytes + " bytes");
    }
}
JAVA
cat > src/Copies.java <<'JAVA'
import java.nio.file.*;
/** Copies checkout/production of one store N times as sNNNNNNN/production (names as long as "checkout"). */
public class Copies {
    public static void main(String[] a) throws Exception {
        Path from = Path.of(a[0]).resolve("checkout/production"), root = Path.of(a[1]);
        String state = Files.readString(from.resolve("state.json"));
        byte[] journal = Files.readAllBytes(from.resolve("journal.jsonl"));
        for (int i = 0; i < Integer.parseInt(a[2]); i++) {
            String svc = String.format("s%07d", i);
            Path d = Files.createDirectories(root.resolve(svc).resolve("production"));
            Files.writeString(d.resolve("state.json"), state.replace("\"checkout\"", "\"" + svc + "\""));
            Files.write(d.resolve("journal.jsonl"), journal);
        }
    }
}
JAVA
"${JAVA}c" -d classes src/*.java
printf 'Main-Class: Hello\n' > hello.mf && jar cfm hello.jar hello.mf -C classes Hello.class

cat > plan.yaml <<'YAML'
service: checkout
environment: production
rings:
  - {name: canary, exposure: 5%, bake: 0s}
  - {name: half, exposure: 50%, bake: 0s}
  - {name: everyone, exposure: 100%, bake: 0s}
actions:
  deploy: {kind: command, command: ["true"]}
  revert: {kind: command, command: ["true"]}
YAML
"$JAVA" -jar "$JAR" run plan.yaml --version 2.0.0 --stable-version 1.0.0 --state-dir one >/dev/null 2>&1
for n in $SIZES; do "$JAVA" -cp classes Copies one "store-$n" "$n"; done

# the launcher from a clone-like directory, its archives recorded before the rounds (as on first use, but waited for)
mkdir -p clone/rollout-cli/target && cp "$ROOT/rollout" clone/ && cp "$JAR" clone/rollout-cli/target/rollout.jar
export ROLLOUT_CACHE_DIR="$WORK/cache"
unset CI ROLLOUT_NO_CDS ROLLOUT_JAVA_OPTS
ROLLOUT_TRAIN_WAIT=1 clone/rollout --version >/dev/null

NAMES=(hello)
CMDS=("$JAVA -jar hello.jar")
for n in $SIZES; do
  NAMES+=("read-$n" "list-$n" "launcher-$n")
  CMDS+=("$JAVA -cp classes ReadFiles store-$n" "$JAVA -jar $JAR list --state-dir store-$n" "clone/rollout list --state-dir store-$n")
  if [ -n "${BEFORE_JAR:-}" ]; then
    NAMES+=("before-$n")
    CMDS+=("$JAVA -jar $BEFORE_JAR list --state-dir store-$n")
  fi
done
for c in "${CMDS[@]}"; do $c >/dev/null 2>&1 || { echo "failed: $c" >&2; exit 1; }; done  # warm the page cache

# rounds: every command once per round; GNU time prints "wall cpu" seconds
for r in $(seq "$RUNS"); do
  for i in "${!CMDS[@]}"; do
    /usr/bin/time -f "%e %U %S" -o t.txt ${CMDS[$i]} >/dev/null 2>&1
    read -r wall user sys < t.txt
    echo "$r ${NAMES[$i]} $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >> times.txt
  done
done

echo "rollout list, $RUNS rounds, $("$JAVA" -version 2>&1 | head -1), $(nproc) CPUs, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command | median wall | median CPU | wall ratio (median of rounds) | CPU ratio | against |"
echo "|---|---|---|---|---|---|"
awk -v sizes="$SIZES" '
  { wall[$2, $1] = $3; cpu[$2, $1] = $4; names[$2] = 1; if ($1 > rounds) rounds = $1 }
  function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
  function row(name, base,   r, w, c, rw, rc) {
    if (!(name in names)) return
    for (r = 1; r <= rounds; r++) { w[r] = wall[name, r]; c[r] = cpu[name, r]; rw[r] = wall[name, r] / wall[base, r]; rc[r] = cpu[name, r] / cpu[base, r] }
    printf "| %s | %.0f ms | %.0f ms | %.2f | %.2f | %s |\n", name, median(w, rounds) * 1000, median(c, rounds) * 1000, median(rw, rounds), median(rc, rounds), base
  }
  END {
    row("hello", "hello")
    n = split(sizes, s, " ")
    for (k = 1; k <= n; k++) { row("read-" s[k], "hello"); row("list-" s[k], "read-" s[k]); row("launcher-" s[k], "read-" s[k]); row("before-" s[k], "read-" s[k]); row("before-" s[k], "list-" s[k]) }
    for (k = 2; k <= n; k++) row("list-" s[k], "list-" s[k - 1])
    # growth: the cost of each further 1000 rollouts between consecutive sizes (start-up cancels out); linear growth
    # keeps it constant
    printf "\n| rollouts | list: median wall per further 1000 rollouts | median CPU per further 1000 |\n|---|---|---|\n"
    for (k = 2; k <= n; k++) {
      for (r = 1; r <= rounds; r++) { aw[r] = wall["list-" s[k - 1], r]; ac[r] = cpu["list-" s[k - 1], r]; bw[r] = wall["list-" s[k], r]; bc[r] = cpu["list-" s[k], r] }
      mw = median(aw, rounds); mc = median(ac, rounds); nw = median(bw, rounds); nc = median(bc, rounds)
      printf "| %s → %s | %.0f ms | %.0f ms |\n", s[k - 1], s[k], (nw - mw) * 1000000 / (s[k] - s[k - 1]), (nc - mc) * 1000000 / (s[k] - s[k - 1])
    }
  }' times.txt
