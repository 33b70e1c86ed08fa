// Secrets reach the JAR only as environment variables (never as arguments, which other users
// of the machine can list), are masked in the runner's log, and are scrubbed from anything the
// wrapper itself echoes.

export const METRICS_TOKEN_ENV = 'ROLLOUT_METRICS_TOKEN';
// The names the PostgreSQL store reads its credentials from (postgres-store/README.md).
export const STORE_USER_ENV = 'ROLLOUT_DB_USER';
export const STORE_PASSWORD_ENV = 'ROLLOUT_DB_PASSWORD';

/** Returns the environment variables that carry the secrets (and the store's user) given as inputs. */
export function secretVariables(inputs) {
  const variables = {};
  if (inputs.metricsToken) variables[METRICS_TOKEN_ENV] = inputs.metricsToken;
  if (inputs.storeUser) variables[STORE_USER_ENV] = inputs.storeUser;
  if (inputs.storePassword) variables[STORE_PASSWORD_ENV] = inputs.storePassword;
  for (const { name, value } of inputs.secretEnv) variables[name] = value;
  return variables;
}

/** Every value that must never be printed: the secret inputs and a password inside a JDBC URL. */
export function secretValues(inputs) {
  // the store's user name is not a secret (and masking a short common word would blank the log)
  const { [STORE_USER_ENV]: _user, ...secret } = secretVariables(inputs);
  const values = Object.values(secret);
  values.push(...passwordsInLocation(inputs.store));
  // The runner masks line by line, so a multi-line secret is registered per line.
  return [...new Set(values.flatMap(value => value.split(/\r?\n/)).map(v => v.trim()).filter(v => v.length > 0))];
}

// jdbc:postgresql://user:pw@host/db or ...?password=pw&...
export function passwordsInLocation(location) {
  if (!location) return [];
  const found = [];
  const userInfo = /^[a-z:]*\/\/[^/@?#:]*:([^/@?#]+)@/i.exec(location);
  if (userInfo) found.push(decodeSafely(userInfo[1]), userInfo[1]);
  for (const match of location.matchAll(/[?&;]password=([^&;#]*)/gi)) {
    if (match[1]) found.push(decodeSafely(match[1]), match[1]);
  }
  return found;
}

function decodeSafely(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replaces every secret in text with ***, longest first so a secret containing another is fully hidden. */
export function redact(text, secrets) {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('***');
  }
  return result;
}

/**
 * The secret inputs read loosely, before validation, so they are masked even when another
 * input is wrong. A malformed secret-env line is masked whole.
 */
export function maskRawSecrets(get) {
  const values = [get('metrics-token'), get('store-password'), ...passwordsInLocation(get('store'))];
  for (const line of get('secret-env').split('\n')) {
    const eq = line.indexOf('=');
    values.push(eq >= 0 ? line.slice(eq + 1) : line);
  }
  return [...new Set(values.map(value => value.trim()).filter(value => value.length > 0))];
}

/** A copy of a parsed JSON value with every secret in every string (keys too) replaced by ***. */
export function redactDeep(value, secrets) {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map(item => redactDeep(item, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k, secrets), redactDeep(v, secrets)]));
  }
  return value;
}
