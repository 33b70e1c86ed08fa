import * as core from '@actions/core';
import { run } from './main.js';

try {
  await run();
} catch (error) {
  core.setFailed(`Unexpected failure in the rollout action: ${error?.stack ?? error}`);
}
