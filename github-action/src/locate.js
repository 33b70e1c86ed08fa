// Finds the rollout JAR and the Java runtime. An action cannot install Java itself, so a missing
// runtime is reported with the step that provides it (actions/setup-java).
import fs from 'node:fs';
import path from 'node:path';
import { which } from '@actions/io';

export class SetupError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SetupError';
  }
}

/**
 * The JAR, in order: the `jar` input, the ROLLOUT_JAR variable, a JAR shipped with the action
 * (dist/rollout.jar in a release), and the one built in the same checkout (rollout-cli/target).
 */
export function findJar(inputs, env, actionDir) {
  if (inputs.jar) return existingFile(inputs.jar, "Input 'jar'");
  if (env.ROLLOUT_JAR) return existingFile(env.ROLLOUT_JAR, 'ROLLOUT_JAR');
  const candidates = [
    path.join(actionDir, 'dist', 'rollout.jar'),
    path.join(actionDir, 'rollout.jar'),
    path.join(actionDir, '..', 'rollout-cli', 'target', 'rollout.jar'),
  ];
  const found = candidates.find(candidate => isFile(candidate));
  if (found) return path.resolve(found);
  throw new SetupError(
    "The rollout JAR was not found. Give its path in input 'jar' or the ROLLOUT_JAR variable, " +
    `or use a release of the action that ships it (looked in ${candidates.map(c => path.resolve(c)).join(', ')}).`);
}

/** Java, in order: the `java` input, JAVA_HOME (set by actions/setup-java), then PATH. */
export async function findJava(inputs, env) {
  if (inputs.java) return existingFile(inputs.java, "Input 'java'");
  if (env.JAVA_HOME) {
    const fromHome = path.join(env.JAVA_HOME, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (isFile(fromHome)) return fromHome;
  }
  const onPath = await which('java', false);
  if (onPath) return onPath;
  throw new SetupError(
    'Java was not found (no java input, no JAVA_HOME, no java on PATH). ' +
    "Run actions/setup-java before this action, e.g. with: {distribution: temurin, java-version: '17'}.");
}

function existingFile(file, source) {
  if (!isFile(file)) throw new SetupError(`${source} names '${file}', which is not a file.`);
  return path.resolve(file);
}

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
