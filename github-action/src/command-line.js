// Builds the JAR's argument list from the inputs. It is an array handed to the process as is:
// no value is ever pasted into a shell string.

export function rolloutArguments(inputs) {
  const args = [inputs.command];
  switch (inputs.command) {
    case 'start':
      args.push(inputs.plan, '--version', inputs.version);
      if (inputs.stableVersion) args.push('--stable-version', inputs.stableVersion);
      // The key of a new rollout comes from the plan (service/environment); the CLI takes no --rollout here.
      break;
    case 'advance':
      args.push('--rollout', inputs.rollout);
      break;
    case 'promote':
      args.push('--rollout', inputs.rollout);
      if (inputs.ring) args.push('--ring', inputs.ring);
      break;
    case 'rollback':
      args.push('--rollout', inputs.rollout, '--reason', inputs.reason);
      break;
    case 'abort':
      args.push('--rollout', inputs.rollout);
      if (inputs.reason) args.push('--reason', inputs.reason);
      break;
    case 'status':
      args.push('--rollout', inputs.rollout);
      if (inputs.wait) args.push('--wait');
      break;
    default:
      throw new Error(`unknown command ${inputs.command}`);
  }
  // Bound to one rollout: a job of an old run is refused (exit 5) instead of acting on a newer rollout of the key.
  if (inputs.rolloutId && inputs.command !== 'start') args.push('--rollout-id', inputs.rolloutId);
  if (inputs.stateDir) args.push('--state-dir', inputs.stateDir);
  if (inputs.store) args.push('--store', inputs.store);
  args.push(...inputs.extraArgs);
  args.push('--output', 'json');
  return args;
}
