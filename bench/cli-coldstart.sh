#!/usr/bin/env bash
# CLI cold start and `rollout list` over 10,000 rollouts, each against a baseline measured in the same run.
#
#   mvn -q -pl rollout-cli -am -DskipTests package      # builds rollout-cli/target/rollout.jar
#   bench/cli-coldstart.sh [RUNS]                        # default 20 runs per command; prints a Markdown table
#
# Uses hyperfine (apt-get install hyperfine) when present, else a loop timed with `date +%s%N`.
# Commands compared (all `java -jar` on the same JVM, the same machine, the same minute):
#   hello          a Java hello-world JAR                                      (baseline for start-up)
#   status         rollout status of one stored rollout
#   status+AppCDS  the same with a class-data-sharing archive made by one training run:
#                    java -XX:ArchiveClassesAtExit=rollout.jsa -jar rollout.jar status ...
#                  then used with -XX:SharedArchiveFile=rollout.jsa
#   read-10000     a Java program that reads the 10,000 state files                (baseline for list)
#   list-10000     rollout list over 10,000 stored rollouts
set -euo pipefail
RUNS=${1:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${ROLLOUT_JAR:-$ROOT/rollout-cli/target/rollout.jar}
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -q -pl rollout-cli -am -DskipTests package" >&2; exit 2; }
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rollout-coldstart.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# the baselines: a hello-world JAR and a JAR that reads N small files
mkdir -p src
cat > src/Hello.java <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
cat > src/ReadFiles.java <<'JAVA'
import java.nio.file.*;
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
/** Copies one stored rollout N times under other service names (same layout and size as the store writes). */
public class Copies {
    public static void main(String[] a) throws Exception {
        Path root = Path.of(a[0]);
        String state = Files.readString(root.resolve("checkout/production/state.json"));
        String journal = Files.readString(root.resolve("checkout/production/journal.jsonl"));
        for (int i = 1; i < Integer.parseInt(a[1]); i++) {
            Path d = Files.createDirectories(root.resolve("svc-" + i).resolve("production"));
            Files.writeString(d.resolve("state.json"), state.replace("\"checkout\"", "\"svc-" + i + "\""));
            Files.writeString(d.resolve("journal.jsonl"), journal);
        }
    }
}
JAVA
"${JAVA}c" -d classes src/*.java
printf 'Main-Class: Hello\n' > hello.mf && jar cfm hello.jar hello.mf -C classes Hello.class
printf 'Main-Class: ReadFiles\n' > read.mf && jar cfm read.jar read.mf -C classes ReadFiles.class

cat > plan.yaml <<'YAML'
service: checkout
environment: production
rings:
  - {name: canary, exposure: 5%, bake: 10m, approval: manual}
  - {name: everyone, exposure: 100%, bake: 30m}
YAML
"$JAVA" -jar "$JAR" start plan.yaml --version 2.0.0 --stable-version 1.0.0 --state-dir one >/dev/null 2>&1
mkdir -p many && cp -r one/checkout many/
"$JAVA" -cp classes Copies many 10000

STATUS="-jar $JAR status --rollout checkout/production --state-dir one"
# AppCDS: one training run writes the archive of the classes that `status` loads
"$JAVA" -XX:ArchiveClassesAtExit=rollout.jsa $STATUS >/dev/null 2>&1 || true

declare -a NAMES=(hello status status+AppCDS read-10000 list-10000)
declare -a CMDS=(
  "$JAVA -jar hello.jar"
  "$JAVA $STATUS"
  "$JAVA -XX:SharedArchiveFile=rollout.jsa $STATUS"
  "$JAVA -jar read.jar many"
  "$JAVA -jar $JAR list --state-dir many"
)
for c in "${CMDS[@]}"; do $c >/dev/null 2>&1 || { echo "failed: $c" >&2; exit 1; }; done

declare -a MEAN
if command -v hyperfine >/dev/null; then
  args=()
  for i in "${!CMDS[@]}"; do args+=(-n "${NAMES[$i]}" "${CMDS[$i]}"); done
  hyperfine -N --warmup 2 --runs "$RUNS" --export-json times.json "${args[@]}" >&2
  mapfile -t MEAN < <(grep -o '"mean": *[0-9.e-]*' times.json | sed 's/.*: *//')
  mapfile -t SD < <(grep -o '"stddev": *[0-9.e-]*' times.json | sed 's/.*: *//')
  TOOL="hyperfine $(hyperfine --version | cut -d' ' -f2)"
else
  for i in "${!CMDS[@]}"; do
    total=0
    for _ in $(seq "$RUNS"); do
      t0=$(date +%s%N); ${CMDS[$i]} >/dev/null 2>&1; t1=$(date +%s%N); total=$((total + t1 - t0))
    done
    MEAN[$i]=$(awk -v t="$total" -v n="$RUNS" 'BEGIN { printf "%.6f", t / n / 1e9 }')
    SD[$i]=nan
  done
  TOOL="a date +%s%N loop"
fi

echo "CLI cold start, $RUNS runs each, $TOOL, $("$JAVA" -version 2>&1 | head -1), $(nproc) CPUs"
echo
echo "| command | mean | sd | ratio | against |"
echo "|---|---|---|---|---|"
row() { # name index baseline-index
  awk -v n="$1" -v m="${MEAN[$2]}" -v s="${SD[$2]}" -v b="${MEAN[$3]}" -v bn="$4" \
    'BEGIN { printf "| %s | %.0f ms | %s | %.2f | %s |\n", n, m*1000, (s=="nan" ? "–" : sprintf("%.0f ms", s*1000)), m/b, bn }'
}
row "java hello-world" 0 0 "itself"
row "rollout status" 1 0 "hello-world"
row "rollout status + AppCDS archive" 2 0 "hello-world"
row "rollout status + AppCDS archive" 2 1 "rollout status"
row "Java reads 10,000 state files" 3 0 "hello-world"
row "rollout list (10,000 rollouts)" 4 3 "Java reads 10,000 state files"
